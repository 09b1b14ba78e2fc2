package voiceguard

import (
	"bufio"
	_ "embed"
	"fmt"
	"strings"

	"github.com/callsim/callsim/sim"
)

//go:embed lexicon.txt
var lexiconFile string

// class is what kind of moment a situation is, for the contradiction check.
type class int

const (
	classNeutral   class = iota // neither accepts nor refuses
	classAccept                 // agrees, accepts, commits
	classRefuse                 // refuses, postpones, doubts
	classUnchecked              // goodbyes and fillers: not checked
)

var classNames = map[string]class{"accept": classAccept, "refuse": classRefuse, "neutral": classNeutral, "unchecked": classUnchecked}

// phrases are a section's phrases per language.
type phrases map[sim.Lang][]string

// lexicon is lexicon.txt, parsed.
type lexicon struct {
	situations  map[sim.Situation]class
	accept      phrases
	refuse      phrases
	negation    phrases
	seller      phrases
	mask        phrases
	classifiers phrases
	namesOK     map[string]bool
	// factConcepts are the concept groups a voicing may not add.
	factConcepts map[string]bool
	// dates maps each language's date phrases to the date they name.
	dates map[sim.Lang][]datePhrase
	// enDateWords are the one-word English dates (monday, march): capitalised,
	// they are no names.
	enDateWords map[string]bool
}

type datePhrase struct{ phrase, key string }

// parseLexicon reads the lexicon file; an error names the line.
func parseLexicon(name, text string) (*lexicon, error) {
	lx := &lexicon{
		situations: map[sim.Situation]class{},
		accept:     phrases{}, refuse: phrases{}, negation: phrases{}, seller: phrases{},
		mask: phrases{}, classifiers: phrases{},
		namesOK: map[string]bool{}, factConcepts: map[string]bool{},
		dates: map[sim.Lang][]datePhrase{},
	}
	sections := map[string]phrases{
		"accept": lx.accept, "refuse": lx.refuse, "negation": lx.negation, "seller": lx.seller,
		"mask": lx.mask, "classifiers": lx.classifiers,
	}
	seen := map[string]bool{}
	section := ""
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fail := func(format string, args ...any) error {
			return fmt.Errorf("%s:%d: %s", name, n, fmt.Sprintf(format, args...))
		}
		if strings.HasPrefix(line, "[") {
			if !strings.HasSuffix(line, "]") {
				return nil, fail("a section line is [name]")
			}
			section = strings.TrimSpace(line[1 : len(line)-1])
			_, known := sections[section]
			if !known && section != "situations" && section != "names_ok" && section != "fact_concepts" && !strings.HasPrefix(section, "date.") {
				return nil, fail("unknown section [%s]", section)
			}
			if seen[section] {
				return nil, fail("section [%s] appears twice", section)
			}
			seen[section] = true
			continue
		}
		key, list, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fail("want key: phrase | phrase …")
		}
		key = strings.TrimSpace(key)
		var items []string
		for _, it := range strings.Split(list, "|") {
			it = strings.TrimSpace(it)
			if it == "" {
				return nil, fail("an empty phrase")
			}
			if it != strings.ToLower(it) {
				return nil, fail("%q: phrases are written in lower case", it)
			}
			items = append(items, it)
		}
		if section == "" {
			return nil, fail("a phrase line before any [section]")
		}
		if section == "situations" {
			c, ok := classNames[key]
			if !ok {
				return nil, fail("situations are accept, refuse, neutral or unchecked, not %q", key)
			}
			for _, it := range items {
				s := sim.Situation(it)
				if _, dup := lx.situations[s]; dup {
					return nil, fail("situation %s is listed twice", it)
				}
				lx.situations[s] = c
			}
			continue
		}
		lang := sim.Lang(key)
		if !lang.Valid() {
			return nil, fail("a phrase line starts with en: or zh:, not %q", key)
		}
		switch {
		case section == "fact_concepts":
			for _, it := range items {
				lx.factConcepts[it] = true
			}
		case section == "names_ok":
			for _, it := range items {
				lx.namesOK[it] = true
			}
		case strings.HasPrefix(section, "date."):
			for _, it := range items {
				lx.dates[lang] = append(lx.dates[lang], datePhrase{it, section})
			}
		default:
			sections[section][lang] = append(sections[section][lang], items...)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	for s := range sections {
		if !seen[s] {
			return nil, fmt.Errorf("%s: section [%s] is missing", name, s)
		}
	}
	if !seen["situations"] {
		return nil, fmt.Errorf("%s: section [situations] is missing", name)
	}
	lx.enDateWords = map[string]bool{}
	for _, d := range lx.dates[sim.LangEN] {
		if !strings.Contains(d.phrase, " ") {
			lx.enDateWords[d.phrase] = true
		}
	}
	return lx, nil
}

// classOf is the kind of moment a situation is; a situation the lexicon
// does not list is neutral.
func (lx *lexicon) classOf(s sim.Situation) class {
	return lx.situations[s]
}
