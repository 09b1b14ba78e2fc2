package yaml

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/callsim/callsim/sim"
)

// These checks close gaps that strict decoding leaves: a language key is a
// map key, not a field, so "fr:" or "cn:" would otherwise pass unnoticed,
// and an empty keyword would match every trainee line.

func checkScenarioLangs(sc *sim.Scenario) error {
	f := sc.Source
	for _, t := range []struct {
		field string
		text  sim.Text
	}{{"name", sc.Name}, {"product", sc.Product}, {"description", sc.Description}} {
		if err := checkText(f, t.field, t.text); err != nil {
			return err
		}
	}
	for _, m := range slices.Sorted(maps.Keys(sc.Milestones)) {
		ml := sc.Milestones[m]
		at := "milestones." + string(m)
		if err := checkText(f, at+".label", ml.Label); err != nil {
			return err
		}
		for i, st := range ml.Steps {
			if err := checkText(f, fmt.Sprintf("%s.steps[%d]", at, i), st); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkPersonaLangs(p *sim.Persona) error {
	f := p.Source
	pr, h := p.Profile, p.Hidden
	for _, t := range []struct {
		field string
		text  sim.Text
	}{
		{"profile.name", pr.Name}, {"profile.role", pr.Role}, {"profile.company", pr.Company},
		{"profile.summary", pr.Summary}, {"hidden.motive", h.Motive}, {"hidden.surface_need", h.SurfaceNeed},
	} {
		if err := checkText(f, t.field, t.text); err != nil {
			return err
		}
	}
	if err := checkWords(f, "hidden.need_keywords", h.NeedKeywords); err != nil {
		return err
	}
	if err := checkWords(f, "hidden.motive_facts", h.MotiveFacts); err != nil {
		return err
	}
	for i, o := range p.Objections {
		at := fmt.Sprintf("objections[%d]", i)
		if err := checkWords(f, at+".keywords", o.Keywords); err != nil {
			return err
		}
		if err := checkLines(f, at+".lines", o.Lines); err != nil {
			return err
		}
		if err := checkLines(f, at+".resolved", o.Resolved); err != nil {
			return err
		}
	}
	return nil
}

func badLang(file, field string, l sim.Lang) error {
	return &sim.FieldError{File: file, Field: field + "." + string(l), Reason: "unknown language (want zh or en)"}
}

func checkText(file, field string, t sim.Text) error {
	for _, l := range slices.Sorted(maps.Keys(t)) {
		if !l.Valid() {
			return badLang(file, field, l)
		}
	}
	return nil
}

func checkLines(file, field string, ls sim.Lines) error {
	for _, l := range slices.Sorted(maps.Keys(ls)) {
		if !l.Valid() {
			return badLang(file, field, l)
		}
		for i, s := range ls[l] {
			if strings.TrimSpace(s) == "" {
				return &sim.FieldError{File: file, Field: fmt.Sprintf("%s.%s[%d]", field, l, i), Reason: "is empty"}
			}
		}
	}
	return nil
}

func checkWords(file, field string, w sim.Words) error {
	for _, l := range slices.Sorted(maps.Keys(w)) {
		if !l.Valid() {
			return badLang(file, field, l)
		}
		for i, s := range w[l] {
			if strings.TrimSpace(s) == "" {
				return &sim.FieldError{File: file, Field: fmt.Sprintf("%s.%s[%d]", field, l, i), Reason: "is empty: an empty word would match every line"}
			}
		}
	}
	return nil
}
