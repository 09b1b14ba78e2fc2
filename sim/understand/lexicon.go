package understand

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// lexiconFiles holds the lexicons: data files a linguist edits, described
// in lexicon/README.md. The directory pattern, unlike "lexicon/*", leaves
// out the dot files an open editor keeps next to them (.en.lex.swp).
//
//go:embed lexicon
var lexiconFiles embed.FS

// lexiconDir is the directory of the lexicon files, in lexiconFiles and in
// the file system newLexReaderFrom reads.
const lexiconDir = "lexicon"

// lexError is a mistake in a lexicon file, at a line.
type lexError struct {
	file string
	line int
	msg  string
}

func (e *lexError) Error() string { return fmt.Sprintf("%s:%d: %s", e.file, e.line, e.msg) }

// newLexReaderFrom builds a reader from the files of the directory lexicon
// in fsys: every canon-*.tsv (informal spellings, which the patterns are
// normalised with too), then every *.lex in name order, since on a tie the
// pattern read first wins. README.md is documentation; any other file is an
// error, so that a misnamed lexicon is not silently left out.
func newLexReaderFrom(fsys fs.FS) (*lexReader, error) {
	ents, err := fs.ReadDir(fsys, lexiconDir)
	if err != nil {
		return nil, fmt.Errorf("read lexicon: %w", err)
	}
	canon := make(map[string]string, 256)
	canonAt := make(map[string]string, 256) // where each informal spelling is, for duplicates
	var lexNames []string
	for _, e := range ents {
		name := path.Join(lexiconDir, e.Name())
		switch base := e.Name(); {
		case base == "README.md":
		case !e.Type().IsRegular():
			return nil, fmt.Errorf("%s: not a lexicon file", name)
		case strings.HasSuffix(base, ".lex"):
			lexNames = append(lexNames, name)
		case strings.HasPrefix(base, "canon-") && strings.HasSuffix(base, ".tsv"):
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, fmt.Errorf("read lexicon: %w", err)
			}
			pairs, err := parseCanon(name, data)
			if err != nil {
				return nil, err
			}
			for _, p := range pairs {
				if first, ok := canonAt[p.informal]; ok {
					return nil, &lexError{name, p.line, fmt.Sprintf("%q is already spelled out at %s", p.informal, first)}
				}
				canon[p.informal], canonAt[p.informal] = p.canonical, fmt.Sprintf("%s:%d", name, p.line)
			}
		default:
			return nil, fmt.Errorf("%s: unknown lexicon file: want *.lex, canon-*.tsv or README.md", name)
		}
	}
	if len(lexNames) == 0 {
		return nil, fmt.Errorf("%s: no lexicon: want at least one *.lex file", lexiconDir)
	}
	c := newBareReader(canon)
	for _, name := range lexNames {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read lexicon: %w", err)
		}
		lex, err := parseLexicon(name, data)
		if err != nil {
			return nil, err
		}
		if err := c.compileLexicon(&c.m, name, lex); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// eachLine calls fn with the number and the trimmed text of every line of
// the file name that is neither blank nor a comment, and turns its error
// into a lexError at that line.
func eachLine(name string, data []byte, fn func(n int, line string) error) error {
	text := strings.TrimPrefix(string(data), "\uFEFF") // a byte-order mark some editors write
	for n := 1; text != ""; n++ {
		var raw string
		raw, text, _ = strings.Cut(text, "\n")
		if !utf8.ValidString(raw) {
			return &lexError{name, n, "not valid UTF-8"}
		}
		line := strings.TrimSpace(raw)
		if line == "" || line[0] == '#' {
			continue
		}
		if err := fn(n, line); err != nil {
			if le := (*lexError)(nil); errors.As(err, &le) {
				return err // at a line of its own
			}
			return &lexError{name, n, err.Error()}
		}
	}
	return nil
}

// namedElement is an element defined once in a lexicon file ("@days = …").
type namedElement struct {
	alts string // its alternatives, references expanded
	line int
}

// parseLexicon reads one lexicon file: [feature] or [feature +feature]
// section headers, each followed by patterns, one a line, and named
// elements (@name = alternatives) that the lines after them may use.
// lexicon/README.md describes the format.
func parseLexicon(name string, data []byte) ([]lexEntry, error) {
	var lex []lexEntry
	defs := make(map[string]namedElement)
	emptySection := func(e lexEntry) error {
		return &lexError{name, e.line, fmt.Sprintf("empty section %s: it has no pattern", header(e.feats))}
	}
	err := eachLine(name, data, func(n int, line string) error {
		switch {
		case line[0] == '[':
			if len(lex) > 0 && len(lex[len(lex)-1].pats) == 0 {
				return emptySection(lex[len(lex)-1])
			}
			feats, err := parseHeader(line)
			if err != nil {
				return err
			}
			lex = append(lex, lexEntry{feats: feats, line: n})
		case line[0] == '@' && strings.Contains(line, "="):
			return define(defs, n, line)
		case len(lex) == 0:
			return errors.New("a pattern before the first [section]: which feature does it signal?")
		default:
			src := line
			if strings.Contains(line, "@") {
				fields := strings.Fields(line)
				for i, el := range fields {
					alts, err := expand(el, defs)
					if err != nil {
						return err
					}
					fields[i] = alts
				}
				src = strings.Join(fields, " ")
			}
			e := &lex[len(lex)-1]
			e.pats = append(e.pats, lexPattern{src: src, line: n})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	switch {
	case len(lex) == 0:
		return nil, &lexError{name, 1, "no [section]: a lexicon file holds at least one"}
	case len(lex[len(lex)-1].pats) == 0:
		return nil, emptySection(lex[len(lex)-1])
	}
	return lex, nil
}

// parseHeader reads a section header: [feature] or [feature +feature].
func parseHeader(line string) ([2]feature, error) {
	bad := fmt.Errorf("section header %s: want [feature] or [feature +feature]", line)
	if !strings.HasSuffix(line, "]") {
		return [2]feature{}, bad
	}
	fields := strings.Fields(line[1 : len(line)-1])
	if len(fields) == 0 || len(fields) > 2 || len(fields) == 2 && !strings.HasPrefix(fields[1], "+") {
		return [2]feature{}, bad
	}
	var feats [2]feature
	for i, name := range fields {
		name = strings.TrimPrefix(name, "+")
		f, ok := featureNamed(name)
		if !ok {
			return [2]feature{}, fmt.Errorf("unknown feature %q (lexicon/README.md lists them)", name)
		}
		feats[i] = f
	}
	if feats[0] == feats[1] {
		return [2]feature{}, fmt.Errorf("section header %s names %s twice", line, feats[0])
	}
	return feats, nil
}

// header writes the section header of feats.
func header(feats [2]feature) string {
	if feats[1] == fNone {
		return "[" + feats[0].String() + "]"
	}
	return "[" + feats[0].String() + " +" + feats[1].String() + "]"
}

// define reads the named element of line n, "@name = alternatives".
func define(defs map[string]namedElement, n int, line string) error {
	name, value, _ := strings.Cut(line, "=")
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	if !isElementName(name) {
		return fmt.Errorf("bad name %q: want @ and lower-case letters, digits or -, as in @days", name)
	}
	if d, ok := defs[name]; ok {
		return fmt.Errorf("%s is already defined at line %d", name, d.line)
	}
	if value == "" || strings.IndexFunc(value, unicode.IsSpace) >= 0 {
		return fmt.Errorf("%s: a named element is one element, alternatives separated by | without spaces (join words with _)", name)
	}
	alts, err := expand(value, defs)
	if err != nil {
		return err
	}
	defs[name] = namedElement{alts: alts, line: n}
	return nil
}

// expand replaces the named elements among the alternatives of el by their
// alternatives.
func expand(el string, defs map[string]namedElement) (string, error) {
	if !strings.Contains(el, "@") {
		return el, nil
	}
	alts := strings.Split(el, "|")
	for i, a := range alts {
		switch d, ok := defs[a]; {
		case ok:
			alts[i] = d.alts
		case !strings.Contains(a, "@"):
		case !strings.HasPrefix(a, "@"):
			return "", fmt.Errorf("%q: @ only starts the name of a named element, a whole alternative as in every|each @days", a)
		case !isElementName(a):
			return "", fmt.Errorf("bad name %q: want @ and lower-case letters, digits or -, as in @days", a)
		default:
			return "", fmt.Errorf("undefined %s: define it above with %s = …", a, a)
		}
	}
	return strings.Join(alts, "|"), nil
}

// isElementName reports whether s is @ and lower-case letters, digits and
// hyphens.
func isElementName(s string) bool {
	if len(s) < 2 || s[0] != '@' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if b := s[i]; !('a' <= b && b <= 'z' || '0' <= b && b <= '9' || b == '-') {
			return false
		}
	}
	return true
}

// canonPair is one line of a canon file: an informal spelling and the
// canonical words it stands for.
type canonPair struct {
	informal, canonical string
	line                int
}

// parseCanon reads a file of informal spellings, "informal<TAB>canonical"
// a line. An informal spelling is one word as the tokenizer sees it (lower
// case, letters and digits, inner apostrophes); the canonical form is one
// or more lower-case words separated by single spaces.
func parseCanon(name string, data []byte) ([]canonPair, error) {
	var pairs []canonPair
	err := eachLine(name, data, func(n int, line string) error {
		informal, canonical, ok := strings.Cut(line, "\t")
		informal, canonical = strings.TrimSpace(informal), strings.TrimSpace(canonical)
		if !ok || canonical == "" || strings.Contains(canonical, "\t") {
			return errors.New("want informal<TAB>canonical")
		}
		if !isCanonWord(informal, true) {
			return fmt.Errorf("informal spelling %q: want one lower-case word (letters, digits, inner ')", informal)
		}
		for _, w := range strings.Split(canonical, " ") {
			if !isCanonWord(w, false) {
				return fmt.Errorf("canonical form %q: want lower-case words separated by single spaces", canonical)
			}
		}
		pairs = append(pairs, canonPair{informal: informal, canonical: canonical, line: n})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return pairs, nil
}

// isCanonWord reports whether w is lower-case ASCII letters (and digits if
// digits) with apostrophes only inside.
func isCanonWord(w string, digits bool) bool {
	if w == "" || w[0] == '\'' || w[len(w)-1] == '\'' {
		return false
	}
	for i := 0; i < len(w); i++ {
		b := w[i]
		if !('a' <= b && b <= 'z' || b == '\'' || digits && '0' <= b && b <= '9') {
			return false
		}
	}
	return true
}
