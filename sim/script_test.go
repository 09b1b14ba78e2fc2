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

// Lines after the customer hung up are ignored until the next call.
func TestPlayIgnoresLinesAfterHangup(t *testing.T) {
	for _, lang := range langs {
		t.Run(string(lang), func(t *testing.T) {
			l := lines[lang]
			script := strings.Join([]string{l["open"], l["pressure"], l["pressure"], l["problem"], l["problem"], "---", l["problem"]}, "\n")
			s, err := ParseScript(strings.NewReader(script))
			if err != nil {
				t.Fatal(err)
			}
			d := mustDeal(t, "fx-high", lang, MilestoneNeed)
			d.Hangup()
			d2, _ := NewDeal(d.cls, d.p, d.sc, d.cfg)
			if err := d2.Play(s); err != nil {
				t.Fatalf("Play: %v", err)
			}
			sc := d2.Scorecard()
			if sc.Calls != 2 || sc.CallsDetail[0].Turns != 3 || sc.CallsDetail[0].EndedBy != EndedByCustomer {
				t.Errorf("calls %d, first call %d turns ended by %q; want 2, 3, customer", sc.Calls, sc.CallsDetail[0].Turns, sc.CallsDetail[0].EndedBy)
			}
			if !sc.Over || sc.CallsDetail[1].EndedBy != EndedByTrainee {
				t.Errorf("deal over %v, second call ended by %q; want over, trainee", sc.Over, sc.CallsDetail[1].EndedBy)
			}
		})
	}
}

func FuzzParseScript(f *testing.F) {
	f.Add("# goal: need\nhello\n---\n# goal: deal\nprice is 9000\n")
	f.Add("\ufeff#goal:offer\r\n---\r\n---\n")
	f.Add("# goal: \n")
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseScript(strings.NewReader(in))
		if err != nil {
			return
		}
		if len(s.Calls) == 0 {
			t.Fatalf("ParseScript(%q) returned no calls", in)
		}
		for _, c := range s.Calls {
			if c.Goal != "" {
				if _, err := ParseMilestone(string(c.Goal)); err != nil {
					t.Fatalf("ParseScript(%q) goal %q invalid", in, c.Goal)
				}
			}
			for _, l := range c.Lines {
				if strings.TrimSpace(l.Text) == "" || l.Text == "---" || strings.HasPrefix(l.Text, "#") {
					t.Fatalf("ParseScript(%q) kept line %q", in, l.Text)
				}
			}
		}
	})
}
