package sim

import (
	"strings"
	"testing"
)

func TestParseScript(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		calls   int
		goals   []Milestone
		lines   []int // lines per call
		wantErr string
	}{
		{"empty", "", 1, []Milestone{""}, []int{0}, ""},
		{"comments and blanks", "# hello\n\nhi there\n  # goal: offer\nwhat's up\n", 1, []Milestone{MilestoneOffer}, []int{2}, ""},
		{"two calls", "# goal: need\nhi\n---\n# goal: deal\nprice?\n", 2, []Milestone{MilestoneNeed, MilestoneDeal}, []int{1, 1}, ""},
		{"goal case and spaces", "#Goal:  DEAL \nhi", 1, []Milestone{MilestoneDeal}, []int{1}, ""},
		{"crlf and bom", "\ufeffhi\r\n---\r\nbye\r\n", 2, []Milestone{"", ""}, []int{1, 1}, ""},
		{"bad goal", "hi\n# goal: win\n", 0, nil, nil, "script line 2"},
		{"two goals", "# goal: need\n# goal: deal\n", 0, nil, nil, "already has goal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseScript(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseScript(%q) error = %v; want %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseScript(%q): %v", tt.in, err)
			}
			if len(s.Calls) != tt.calls {
				t.Fatalf("ParseScript(%q) calls = %d; want %d", tt.in, len(s.Calls), tt.calls)
			}
			for i, c := range s.Calls {
				if c.Goal != tt.goals[i] || len(c.Lines) != tt.lines[i] {
					t.Errorf("call %d = goal %q, %d lines; want %q, %d", i+1, c.Goal, len(c.Lines), tt.goals[i], tt.lines[i])
				}
			}
		})
	}
}
