package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCmd runs callsim in-process with stdin and returns stdout, stderr and
// the error.
func runCmd(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	err := Run(context.Background(), args, env)
	return out.String(), errOut.String(), err
}

func TestPersonasJSON(t *testing.T) {
	out, _, err := runCmd(t, "", "personas", "--json")
	if err != nil {
		t.Fatalf("personas --json: %v", err)
	}
	var ps []struct {
		ID        string   `json:"id"`
		Scenario  string   `json:"scenario"`
		Languages []string `json:"languages"`
		Hidden    struct {
			Urgency string `json:"urgency"`
		} `json:"hidden"`
	}
	if err := json.Unmarshal([]byte(out), &ps); err != nil {
		t.Fatalf("personas --json is not a JSON array: %v\n%s", err, out)
	}
	if len(ps) == 0 {
		t.Fatal("personas --json listed no persona")
	}
	for _, p := range ps {
		if p.ID == "" || p.Scenario == "" || len(p.Languages) == 0 || p.Hidden.Urgency == "" {
			t.Errorf("persona %+v lacks id, scenario, languages or hidden urgency", p)
		}
	}
}

// The table is what a trainee reads before practising: no urgency, no
// motive, unless asked with --reveal.
func TestPersonasTableHidesHiddenState(t *testing.T) {
	out, _, err := runCmd(t, "", "personas")
	if err != nil {
		t.Fatalf("personas: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "ID ") {
		t.Fatalf("personas printed %q; want a header and a row per persona", out)
	}
	for _, hidden := range []string{"URGENCY", "MOTIVE"} {
		if strings.Contains(lines[0], hidden) {
			t.Errorf("personas header %q shows %s; want it only with --reveal", lines[0], hidden)
		}
	}
	for _, l := range lines[1:] {
		if f := strings.Fields(l); len(f) > 0 && (f[len(f)-1] == "yes" || f[len(f)-1] == "no") {
			t.Errorf("personas row %q ends with a motive column", l)
		}
	}
	for _, want := range []string{"st-wang-director", "DIFFICULTY", "Wang Lei", "Sales Director"} {
		if !strings.Contains(out, want) {
			t.Errorf("personas lacks %q:\n%s", want, out)
		}
	}

	out, _, err = runCmd(t, "", "personas", "--reveal")
	if err != nil {
		t.Fatalf("personas --reveal: %v", err)
	}
	lines = strings.Split(strings.TrimSpace(out), "\n")
	if !strings.HasSuffix(lines[0], "URGENCY  MOTIVE") {
		t.Errorf("personas --reveal header %q; want URGENCY and MOTIVE", lines[0])
	}
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if strings.HasPrefix(l, "st-zhao-owner ") && (f[len(f)-2] != "low" || f[len(f)-1] != "no") {
			t.Errorf("personas --reveal row %q; want urgency low and no motive", l)
		}
		if strings.HasPrefix(l, "st-wang-director ") && (f[len(f)-2] != "high" || f[len(f)-1] != "yes") {
			t.Errorf("personas --reveal row %q; want urgency high and a motive", l)
		}
	}
}

// Without --json, classify writes LANG<tab>ACTS<tab>TEXT per line.
func TestClassifyTSV(t *testing.T) {
	out, _, err := runCmd(t, "what happens if nothing changes?\n你好\n", "classify")
	if err != nil {
		t.Fatalf("classify: %v", err)
	}
	rows := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(rows) != 2 {
		t.Fatalf("classify wrote %q; want 2 lines", out)
	}
	for i, want := range []struct{ lang, text string }{{"en", "what happens if nothing changes?"}, {"zh", "你好"}} {
		f := strings.Split(rows[i], "\t")
		if len(f) != 3 || f[0] != want.lang || f[1] == "" || f[2] != want.text {
			t.Errorf("classify line %d = %q; want %s<tab>ACTS<tab>%s", i+1, rows[i], want.lang, want.text)
		}
	}
	if !strings.Contains(rows[0], "\task_motive\t") {
		t.Errorf("classify %q; want the act ask_motive", rows[0])
	}
}

func TestClassifyJSON(t *testing.T) {
	in := "Hi, this is Anna from Acme, do you have two minutes?\n您好，我是新锐培训的小李。\n\nwhat happens if nothing changes?\n"
	out, _, err := runCmd(t, in, "classify", "--json")
	if err != nil {
		t.Fatalf("classify --json: %v", err)
	}
	rows := strings.Split(strings.TrimSpace(out), "\n")
	if len(rows) != 4 {
		t.Fatalf("classify wrote %d lines for 4 input lines:\n%s", len(rows), out)
	}
	wantLang := []string{"en", "zh", "", "en"}
	for i, r := range rows {
		var v struct {
			Text string   `json:"text"`
			Lang string   `json:"lang"`
			Acts []string `json:"acts"`
		}
		if err := json.Unmarshal([]byte(r), &v); err != nil {
			t.Fatalf("line %d is not JSON: %v: %s", i+1, err, r)
		}
		if len(v.Acts) == 0 {
			t.Errorf("line %d: no acts: %s", i+1, r)
		}
		if wantLang[i] != "" && v.Lang != wantLang[i] {
			t.Errorf("line %d: lang %q; want %q", i+1, v.Lang, wantLang[i])
		}
	}
}

func firstPersona(t *testing.T) string {
	t.Helper()
	out, _, err := runCmd(t, "", "personas", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var ps []struct{ ID string }
	json.Unmarshal([]byte(out), &ps)
	if len(ps) == 0 {
		t.Fatal("no personas")
	}
	return ps[0].ID
}

func TestReplayJSONContract(t *testing.T) {
	script := filepath.Join(t.TempDir(), "s.txt")
	os.WriteFile(script, []byte("# goal: need\nHi, this is Anna from Acme Training, do you have two minutes?\nWhat is your biggest challenge right now?\n---\n# goal: offer\nThanks, goodbye!\n"), 0o644)
	id := firstPersona(t)
	out, _, err := runCmd(t, "", "replay", "--persona", id, "--seed", "3", "--lang", "en", "--json", script)
	if err != nil {
		t.Fatalf("replay: %v", err)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("replay --json: %v\n%s", err, out)
	}
	ms := v["milestones"].(map[string]any)
	for _, m := range []string{"need", "offer", "deal"} {
		r, ok := ms[m].(map[string]any)
		if !ok {
			t.Fatalf("milestones.%s missing", m)
		}
		if _, ok := r["reached"].(bool); !ok {
			t.Errorf("milestones.%s.reached is not a bool", m)
		}
		for _, k := range []string{"call", "turn"} {
			if _, ok := r[k].(float64); !ok {
				t.Errorf("milestones.%s.%s is not a number", m, k)
			}
		}
	}
	c := v["commitment"].(map[string]any)
	if _, ok := c["price"].(bool); !ok {
		t.Error("commitment.price is not a bool")
	}
	if _, ok := c["time"].(bool); !ok {
		t.Error("commitment.time is not a bool")
	}
	if v["calls"].(float64) != 2 {
		t.Errorf("calls = %v; want 2", v["calls"])
	}
	for _, k := range []string{"turns", "score"} {
		if _, ok := v[k].(float64); !ok {
			t.Errorf("%s is not a number", k)
		}
	}
	if _, ok := v["findings"].([]any); !ok {
		t.Error("findings is not an array")
	}
	cd := v["calls_detail"].([]any)
	for _, x := range cd {
		if by := x.(map[string]any)["ended_by"]; by != "trainee" && by != "customer" && by != "limit" {
			t.Errorf("calls_detail[].ended_by = %v", by)
		}
	}
	if h, ok := v["hidden"].(map[string]any); !ok || h["urgency"] == "" {
		t.Errorf("hidden.urgency missing: %v", v["hidden"])
	}
	if tr, ok := v["transcript"].([]any); !ok || len(tr) == 0 {
		t.Error("transcript missing")
	}
	// The same script, persona and seed give the same scorecard.
	again, _, _ := runCmd(t, "", "replay", "--persona", id, "--seed", "3", "--lang", "en", "--json", script)
	if again != out {
		t.Error("replay is not deterministic")
	}
}

func TestCommandErrors(t *testing.T) {
	script := filepath.Join(t.TempDir(), "s.txt")
	os.WriteFile(script, []byte("hello\n"), 0o644)
	tests := []struct {
		name  string
		args  []string
		usage bool
		want  string
	}{
		{"unknown command", []string{"frobnicate"}, true, "unknown command"},
		{"bad flag", []string{"replay", "--nope"}, true, "replay"},
		{"replay without persona", []string{"replay", script}, true, "--persona is required"},
		{"replay without script", []string{"replay", "--persona", "x"}, true, "SCRIPT"},
		{"unknown persona", []string{"replay", "--persona", "nobody", script}, false, `unknown persona "nobody"`},
		{"unreadable script", []string{"replay", "--persona", "x", filepath.Join(t.TempDir(), "missing.txt")}, false, "no such file"},
		{"bad language", []string{"classify", "--lang", "fr"}, true, "unknown language"},
		{"chat without persona", []string{"chat"}, true, "--persona is required"},
		{"missing config file", []string{"personas", "--config", filepath.Join(t.TempDir(), "none.yaml")}, false, "config"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCmd(t, "", tt.args...)
			if err == nil {
				t.Fatalf("callsim %v succeeded; want an error", tt.args)
			}
			if errors.Is(err, errUsage) != tt.usage {
				t.Errorf("callsim %v: usage error %v; want %v (%v)", tt.args, errors.Is(err, errUsage), tt.usage, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("callsim %v error = %q; want it to mention %q", tt.args, err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
		})
	}
}

func TestBadConfigRejected(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ name, yaml, want string }{
		{"unknown key", "engine:\n  max_turn: 3\n", "max_turn"},
		{"weights not 100", "score:\n  need: 50\n", "add up to 100"},
		{"bad yaml", "server: [\n", "config"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")+".yaml")
			os.WriteFile(p, []byte(tt.yaml), 0o644)
			_, _, err := runCmd(t, "", "personas", "--config", p)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("personas with %q: error %v; want it to mention %q", tt.yaml, err, tt.want)
			}
		})
	}
}

func TestChatSession(t *testing.T) {
	id := firstPersona(t)
	in := "need\nHi, this is Anna from Acme Training, do you have two minutes?\n/hangup\n/call offer\nThanks, bye!\n/end\n"
	out, _, err := runCmd(t, in, "chat", "--persona", id, "--lang", "en", "--seed", "5")
	if err != nil {
		t.Fatalf("chat: %v", err)
	}
	for _, want := range []string{"Call 1", "Call 2", "SCORECARD", "The customer's hidden state", "--seed 5"} {
		if !strings.Contains(out, want) {
			t.Errorf("chat output lacks %q:\n%s", want, out)
		}
	}
}
