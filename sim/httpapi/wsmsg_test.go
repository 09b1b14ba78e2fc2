package httpapi

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/callsim/callsim/sim"
)

func TestDecodeClientMsg(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		code     string // "" for a good message
		id       string
	}{
		{"start", `{"type":"start","id":"a","persona":"p","goal":"need","lang":"en"}`, "", "a"},
		{"start without persona", `{"type":"start","goal":"need"}`, sim.EINVALID, ""},
		{"start with bad lang", `{"type":"start","persona":"p","goal":"need","lang":"de"}`, sim.EINVALID, ""},
		{"dial", `{"type":"dial","goal":"deal"}`, "", ""},
		{"dial without goal", `{"type":"dial","id":"b"}`, sim.EINVALID, "b"},
		{"resume", `{"type":"resume","deal":"d_1","takeover":true}`, "", ""},
		{"resume without deal", `{"type":"resume"}`, sim.EINVALID, ""},
		{"say", `{"type":"say","text":" hi ","seq":3}`, "", ""},
		{"say seq zero", `{"type":"say","text":"hi","seq":0}`, sim.EINVALID, ""},
		{"hints", `{"type":"hints","on":false}`, "", ""},
		{"hints without on", `{"type":"hints"}`, sim.EINVALID, ""},
		{"hangup", `{"type":"hangup"}`, "", ""},
		{"finish", `{"type":"finish"}`, "", ""},
		{"ping", ` {"type":"ping","id":"p"} `, "", "p"},
		{"truncated", `{"type":"say","id":"c","text":"hi"`, wsBadJSON, ""},
		{"wrong type keeps id", `{"type":"say","id":"c","text":5}`, wsBadJSON, "c"},
		{"array", `[1,2]`, wsBadJSON, ""},
		{"null", `null`, wsBadJSON, ""},
		{"empty", ``, wsBadJSON, ""},
		{"unknown", `{"type":"dance","id":"d"}`, wsUnknownType, "d"},
		{"no type", `{}`, wsUnknownType, ""},
		{"long id", `{"type":"ping","id":"` + string(make([]byte, 0)) + `0123456789012345678901234567890123456789012345678901234567890123456789"}`, sim.EINVALID, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, pe := decodeClientMsg([]byte(tt.in))
			code := ""
			if pe != nil {
				code = pe.Code
			}
			if code != tt.code {
				t.Errorf("decodeClientMsg(%q) code = %q (%v); want %q", tt.in, code, pe, tt.code)
			}
			if m == nil || m.ID != tt.id {
				t.Errorf("decodeClientMsg(%q) id = %v; want %q", tt.in, m, tt.id)
			}
		})
	}
}

// FuzzDecodeClientMsg feeds arbitrary bytes to the decoder of untrusted
// client messages: it must never panic, always return a message, and only
// accept well-formed messages of known types.
func FuzzDecodeClientMsg(f *testing.F) {
	for _, s := range []string{
		`{"type":"start","id":"a","persona":"p","goal":"need","lang":"en","hints":true,"seed":3}`,
		`{"type":"say","text":"你好，我是新锐培训的小李","seq":2}`,
		`{"type":"resume","deal":"d_1","takeover":true}`,
		`{"type":"hints","on":true}`, `{"type":"dial","goal":"offer"}`, `[]`, `{"type":1}`, `{"text":null}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, pe := decodeClientMsg(data)
		if m == nil {
			t.Fatal("nil message")
		}
		if len(m.ID) > maxIDLen {
			t.Fatalf("id of %d bytes accepted", len(m.ID))
		}
		if pe != nil {
			if pe.Code == "" || pe.Message == "" {
				t.Fatalf("error without code or message: %+v", pe)
			}
			return
		}
		if !json.Valid(data) {
			t.Fatalf("accepted invalid JSON %q", data)
		}
		switch m.Type {
		case msgStart, msgDial:
			if !isMilestone(m.goal) {
				t.Fatalf("accepted goal %q", m.Goal)
			}
		case msgSay:
			if m.Text == "" || utf8.RuneCountInString(m.Text) > maxTextLen {
				t.Fatalf("accepted text of %d characters", utf8.RuneCountInString(m.Text))
			}
		case msgResume:
			if m.Deal == "" {
				t.Fatal("accepted resume without a deal")
			}
		case msgHints:
			if m.On == nil {
				t.Fatal("accepted hints without on")
			}
		case msgHangup, msgFinish, msgPing:
		default:
			t.Fatalf("accepted type %q", m.Type)
		}
	})
}

func isMilestone(m sim.Milestone) bool {
	for _, x := range sim.Milestones {
		if x == m {
			return true
		}
	}
	return false
}
