package voiceguard

import (
	"strings"

	"github.com/callsim/callsim/sim"
)

// profileFacts is what a persona's public profile states, in both
// languages: what a voicing may say beside the engine's line.
type profileFacts struct {
	numbers  map[string]bool
	dates    map[string]bool
	concepts map[string]bool
	words    map[string]bool // Latin words, lower case
}

// profileCacheSize bounds the cache of profiles: a few per persona file.
const profileCacheSize = 256

// profile returns the facts of p, from the cache when it has them: the ear
// reads a profile once, not every turn.
func (g *Guard) profile(p sim.Profile) *profileFacts {
	texts := map[sim.Lang]string{}
	for _, lang := range []sim.Lang{sim.LangZH, sim.LangEN} {
		var parts []string
		for _, t := range []sim.Text{p.Name, p.Role, p.Company, p.Summary} {
			if s := t[lang]; s != "" {
				parts = append(parts, s)
			}
		}
		texts[lang] = strings.Join(parts, "\n")
	}
	key := texts[sim.LangZH] + "\x00" + texts[sim.LangEN]
	g.mu.Lock()
	f, ok := g.profiles[key]
	g.mu.Unlock()
	if ok {
		return f
	}
	f = &profileFacts{numbers: map[string]bool{}, dates: map[string]bool{}, concepts: map[string]bool{}, words: map[string]bool{}}
	for lang, text := range texts {
		if text == "" {
			continue
		}
		a := g.ear.Understand(text, lang)
		norm := mask(a.Norm, g.lx.mask[lang])
		for _, n := range g.lx.numbers(norm) {
			for _, k := range n.keys {
				f.numbers[k] = true
			}
		}
		for _, d := range g.dates(norm, lang) {
			f.dates[d.key] = true
		}
		for _, c := range a.Concepts {
			f.concepts[c] = true
		}
		for _, w := range latinWords(text) {
			f.words[w] = true
		}
	}
	g.mu.Lock()
	if len(g.profiles) >= profileCacheSize {
		clear(g.profiles)
	}
	g.profiles[key] = f
	g.mu.Unlock()
	return f
}
