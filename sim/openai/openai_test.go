package openai

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/callsim/callsim/sim"
)

// fakeModel is an OpenAI-compatible server on loopback that answers every
// chat completion with answer and records the prompt it was sent.
func fakeModel(t *testing.T, answer string, status int) (*httptest.Server, *[]string) {
	t.Helper()
	var prompts []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/chat/completions" {
			http.NotFound(w, r)
			return
		}
		var req struct {
			Messages []struct{ Content string } `json:"messages"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		for _, m := range req.Messages {
			prompts = append(prompts, m.Content)
		}
		if status != http.StatusOK {
			http.Error(w, `{"error":{"message":"overloaded"}}`, status)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"id": "x", "object": "chat.completion", "model": "m",
			"choices": []map[string]any{{"index": 0, "message": map[string]string{"role": "assistant", "content": answer}, "finish_reason": "stop"}},
		})
	}))
	t.Cleanup(srv.Close)
	return srv, &prompts
}

func request() sim.VoiceRequest {
	return sim.VoiceRequest{
		Lang: sim.LangEN,
		Persona: sim.PublicPersona{ID: "p", Profile: sim.Profile{
			Name: sim.Text{sim.LangEN: "Zhang Wei"}, Role: sim.Text{sim.LangEN: "Sales Director"},
		}},
		Situation: sim.SitProblem,
		Line:      "Our team struggles to close on the phone.",
		History:   []sim.VoiceTurn{{Trainee: "What's your biggest challenge?"}},
	}
}

func TestRephrase(t *testing.T) {
	tests := []struct {
		name    string
		answer  string
		status  int
		want    string
		wantErr bool
	}{
		{"reworded", "\"Honestly, my team has trouble closing deals over the phone.\"", 200, "Honestly, my team has trouble closing deals over the phone.", false},
		{"empty answer", "  ", 200, "", true},
		{"rambling answer", strings.Repeat("blah ", 100), 200, "", true},
		{"server error", "", 503, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, prompts := fakeModel(t, tt.answer, tt.status)
			v, err := New(Config{BaseURL: srv.URL + "/v1", Model: "m", Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			got, err := v.Rephrase(context.Background(), request())
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("Rephrase() = %q, %v; want %q, error %v", got, err, tt.want, tt.wantErr)
			}
			if tt.status == 200 {
				all := strings.Join(*prompts, "\n")
				if !strings.Contains(all, request().Line) || !strings.Contains(all, "Zhang Wei") {
					t.Errorf("prompt lacks the line or the profile: %s", all)
				}
			}
		})
	}
}

func TestNewNeedsModel(t *testing.T) {
	if _, err := New(Config{}); err == nil {
		t.Fatal("New without a model succeeded; want an error")
	}
}
