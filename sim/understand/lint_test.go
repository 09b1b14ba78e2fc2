package understand

import (
	"strings"
	"testing"

	"github.com/callsim/callsim/sim"
)

func TestLint(t *testing.T) {
	e := MustNew()
	base := func() *sim.Persona {
		return &sim.Persona{ID: "p", Source: "p.yaml", Languages: []sim.Lang{sim.LangEN}}
	}
	tests := []struct {
		name     string
		edit     func(*sim.Persona)
		wantErr  string
		wantWarn string
	}{
		{"known group", func(p *sim.Persona) {
			p.Hidden.NeedKeywords = sim.Words{sim.LangEN: {"@staff_leaving"}}
		}, "", ""},
		{"unknown group", func(p *sim.Persona) {
			p.Hidden.NeedKeywords = sim.Words{sim.LangEN: {"@no_such_group"}}
		}, `hidden.need_keywords.en[0]: unknown concept group "no_such_group"`, ""},
		{"one exact phrase", func(p *sim.Persona) {
			p.Objections = []sim.Objection{{ID: "o", Kind: "other", Keywords: sim.Words{sim.LangEN: {"quantum widget alignment"}}}}
		}, "", `objection "o" can only be resolved by the exact phrase "quantum widget alignment"`},
		{"a phrase of a concept group", func(p *sim.Persona) {
			p.Objections = []sim.Objection{{ID: "o", Kind: "other", Keywords: sim.Words{sim.LangEN: {"customer records"}}}}
		}, "", ""},
		{"a kind with a group", func(p *sim.Persona) {
			p.Objections = []sim.Objection{{ID: "o", Kind: "price", Keywords: sim.Words{sim.LangEN: {"quantum widget alignment"}}}}
		}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base()
			tt.edit(p)
			warns, err := e.Lint(p)
			switch {
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("Lint() error = %v; want %q", err, tt.wantErr)
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Lint() error = %v; want none", err)
			}
			got := strings.Join(warns, "\n")
			if tt.wantWarn == "" && got != "" || tt.wantWarn != "" && !strings.Contains(got, tt.wantWarn) {
				t.Errorf("Lint() warnings = %q; want %q", got, tt.wantWarn)
			}
		})
	}
}

// Every shipped persona lints clean is checked by cmd/callsim (it loads the
// catalog with the ear).
