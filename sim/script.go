package sim

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Script is a replay script: trainee lines grouped into calls (DOMAIN
// section 7). One trainee line per line; blank lines and # comments are
// ignored; "# goal: need|offer|deal" sets the goal of the current call; a
// line "---" hangs up and dials a follow-up call in the same deal.
type Script struct {
	Calls []ScriptCall
}

// ScriptCall is one call of a script.
type ScriptCall struct {
	// Goal is the call's goal; "" lets the deal pick the next milestone not
	// yet reached.
	Goal  Milestone
	Lines []ScriptLine
}

// ScriptLine is one trainee line and where it stands in the script.
type ScriptLine struct {
	No   int // line number in the script, from 1
	Text string
}

// MaxScriptLine is the longest line a script may hold.
const MaxScriptLine = 64 << 10

// ParseScript reads a replay script.
func ParseScript(r io.Reader) (*Script, error) {
	s := &Script{Calls: []ScriptCall{{}}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), MaxScriptLine)
	no := 0
	for sc.Scan() {
		no++
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		cur := &s.Calls[len(s.Calls)-1]
		switch {
		case line == "":
		case line == "---":
			s.Calls = append(s.Calls, ScriptCall{})
		case strings.HasPrefix(line, "#"):
			body := strings.TrimSpace(strings.TrimPrefix(line, "#"))
			key, val, ok := strings.Cut(body, ":")
			if !ok || !strings.EqualFold(strings.TrimSpace(key), "goal") {
				continue // an ordinary comment
			}
			g, err := ParseMilestone(strings.ToLower(strings.TrimSpace(val)))
			if err != nil {
				return nil, fmt.Errorf("script line %d: %w", no, err)
			}
			if cur.Goal != "" && cur.Goal != g {
				return nil, fmt.Errorf("script line %d: %w", no, Errorf(EINVALID, "the call already has goal %q", cur.Goal))
			}
			cur.Goal = g
		default:
			cur.Lines = append(cur.Lines, ScriptLine{No: no, Text: line})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("script line %d: %w", no+1, err)
	}
	return s, nil
}

// NextGoal is the first milestone not reached yet (deal when all are).
func (d *Deal) NextGoal() Milestone {
	for _, m := range Milestones {
		if m == MilestoneNeed && !d.needRequired() {
			continue
		}
		if d.reached[m] == nil {
			return m
		}
	}
	return MilestoneDeal
}

// Play runs a script against a fresh deal and finishes the deal. Lines after
// the customer hung up are ignored until the next call; a call with no
// lines is still dialled and hung up.
func (d *Deal) Play(s *Script) error {
	for i, c := range s.Calls {
		if i == len(s.Calls)-1 && i > 0 && len(c.Lines) == 0 && c.Goal == "" {
			break // a trailing "---" dials nobody
		}
		goal := c.Goal
		if goal == "" {
			goal = d.NextGoal()
		}
		if _, err := d.Dial(goal); err != nil {
			return fmt.Errorf("call %d: %w", i+1, err)
		}
		for _, l := range c.Lines {
			if !d.InCall() {
				break
			}
			if _, err := d.Say(l.Text); err != nil {
				return fmt.Errorf("script line %d: %w", l.No, err)
			}
		}
		if d.InCall() {
			if _, err := d.Hangup(); err != nil {
				return fmt.Errorf("call %d: %w", i+1, err)
			}
		}
	}
	_, err := d.Finish()
	return err
}
