package understand

import (
	"fmt"
	"slices"
	"strings"

	"github.com/callsim/callsim/sim"
)

// Lint checks a persona's keywords against what the ear knows. A keyword
// that names a concept group the ear does not have (@id) is an error. An
// objection that only one exact phrase can resolve — a single keyword per
// language, in no concept group, and no group for its kind — is a warning:
// a trainee who answers the concern in other words would not be heard.
func (e *Ear) Lint(p *sim.Persona) (warnings []string, err error) {
	check := func(field string, w sim.Words) error {
		for _, lang := range []sim.Lang{sim.LangEN, sim.LangZH} {
			for i, k := range w[lang] {
				if id, ok := strings.CutPrefix(strings.TrimSpace(k), "@"); ok && !e.Concept(id) {
					return fmt.Errorf("%s: %s.%s[%d]: unknown concept group %q (see sim/understand/concepts/concepts.txt)", p.Source, field, lang, i, id)
				}
			}
		}
		return nil
	}
	if err := check("hidden.need_keywords", p.Hidden.NeedKeywords); err != nil {
		return nil, err
	}
	for i, o := range p.Objections {
		field := fmt.Sprintf("objections[%d].keywords", i)
		if err := check(field, o.Keywords); err != nil {
			return nil, err
		}
		if e.Concept("kind."+o.Kind) || len(o.Keywords) == 0 {
			continue
		}
		for _, lang := range p.Languages {
			kw := o.Keywords[lang]
			if len(kw) == 1 && !strings.HasPrefix(kw[0], "@") && len(e.concepts.members[e.lex.termKey(e.stem, kw[0])]) == 0 {
				warnings = append(warnings, fmt.Sprintf("%s: %s.%s: objection %q can only be resolved by the exact phrase %q; add keywords or name a concept group (@id)", p.Source, field, lang, o.ID, kw[0]))
			}
		}
	}
	slices.Sort(warnings)
	return warnings, nil
}
