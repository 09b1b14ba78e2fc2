package understand

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Pattern syntax of the lexicons (lexicon/*.lex, one pattern a line; the
// file format and the features are in lexicon/README.md, and the loader in
// lexicon.go expands named elements such as @days first). A pattern is a
// sequence of elements separated by spaces; an element is a list of
// alternatives separated by '|'. Each alternative is normalised and
// tokenised like the input, so "我们的" is three tokens, "don't" is "do not"
// and a traditional spelling folds to the simplified one; '_' joins words
// into one alternative ("thanks|thank_you for"). Special elements:
//
//	word*  a word with this prefix (ASCII only): "frustrat*"
//	<num>  any number token (5000, 2.5, 三万)
//	*      a gap of 0 to 3 tokens inside one clause
//	**     a gap of 0 to 6 tokens inside one clause
//	^      (first) the pattern starts a clause
//	$$     (last) the pattern ends a clause ($ alone is the dollar sign)
//
// At each position the longest matching pattern wins (on a tie the one
// listed first). A match that lies inside the words of an earlier match is
// dropped ("no problem" hides "problem"); overlapping matches are kept, and
// the words a gap skips hide nothing.

// ptok is one compiled pattern element.
type ptok struct {
	s      string
	id     int32          // interned s; never 0
	set    map[int32]bool // one of these words (alternatives after the second element)
	prefix bool           // s is a prefix of the token
	num    bool           // any number token
	gap    uint8          // a gap of 0..gap tokens; s unused
}

// pattern is one compiled pattern with the features it signals.
type pattern struct {
	toks       []ptok
	feats      [2]feature
	start, end bool // anchored at clause start / end
	lead       int  // tokens before the first gap (all of them if none)
}

// matcher finds lexicon patterns in a token sequence.
type matcher struct {
	pats   []pattern
	ids    map[string]int32   // every word of the lexicons → id > 0
	exact  [][]int32          // first token id → patterns (one-token or with a special second element)
	exact2 map[uint64][]int32 // first two token ids → patterns
	prefix map[string][]int32 // first-token prefix → patterns
	preLen uint64             // bit n set: some first-token prefix has n bytes
	num    []int32            // patterns starting with a number
}

// lexEntry is one section of a lexicon file: the features its patterns
// signal and the patterns.
type lexEntry struct {
	feats [2]feature // the second is fNone when unused
	line  int        // of the section header
	pats  []lexPattern
}

// lexPattern is one pattern line of a lexicon file, its named elements
// expanded.
type lexPattern struct {
	src  string
	line int
}

// maxVariants bounds the patterns one line may expand to (and 8 times as
// many words in all), against a typo that multiplies out to millions: the
// alternatives of the first two elements multiply for the index, and so do
// those of any element with a multi-word alternative ("lets" is "let us").
// The largest line today, the English [pitch] "the|this|each|every system|…
// * can|will|lets|…", makes 12144.
const maxVariants = 1 << 15

// compileLexicon adds all entries of the lexicon file name to the matcher.
func (c *lexReader) compileLexicon(m *matcher, name string, lex []lexEntry) error {
	for _, e := range lex {
		for _, p := range e.pats {
			if err := c.compilePattern(m, p.src, e.feats); err != nil {
				return &lexError{file: name, line: p.line, msg: err.Error()}
			}
		}
	}
	return nil
}

// intern returns the id of a lexicon word, adding it if new.
func (m *matcher) intern(s string) int32 {
	id, ok := m.ids[s]
	if !ok {
		id = int32(len(m.ids) + 1)
		m.ids[s] = id
	}
	return id
}

// setIDs gives each input token the id of the same lexicon word, or 0.
func (m *matcher) setIDs(toks []token) {
	for i := range toks {
		if !toks[i].isBreak() {
			toks[i].id = m.ids[toks[i].s]
		}
	}
}

func pairKey(a, b int32) uint64 { return uint64(a)<<32 | uint64(uint32(b)) }

// compilePattern adds the patterns one line of a lexicon expands to. The
// line comes from a file a coach may edit, so an error says what is wrong
// with it in the file's terms.
func (c *lexReader) compilePattern(m *matcher, src string, feats [2]feature) error {
	if strings.ContainsRune(src, ';') {
		return errors.New("';' is not allowed: write one pattern a line")
	}
	elems := strings.Fields(src)
	var start, end bool
	if len(elems) > 0 && elems[0] == "^" {
		start, elems = true, elems[1:]
	}
	if len(elems) > 0 && elems[len(elems)-1] == "$$" {
		end, elems = true, elems[:len(elems)-1]
	}
	switch {
	case len(elems) == 0:
		return errors.New("a pattern needs a word")
	case elems[0] == "*" || elems[0] == "**":
		return errors.New("a pattern must start with a word, not a gap")
	case !end && (elems[len(elems)-1] == "*" || elems[len(elems)-1] == "**"):
		return errors.New("a gap at the end matches nothing: drop it, or end the pattern with $$")
	}
	// each element → alternatives → token sequences; then the cartesian
	// product. Past the second element, single-word alternatives become one
	// set element instead, so that "the system|app * saves|cuts|…" stays a
	// handful of patterns; the first two elements are expanded for the index.
	elAlts := make([][][]ptok, 0, len(elems))
	for ei, el := range elems {
		var alts [][]ptok
		switch el {
		case "*":
			alts = [][]ptok{{{gap: 3}}}
		case "**":
			alts = [][]ptok{{{gap: 6}}}
		case "<num>":
			alts = [][]ptok{{{num: true}}}
		case "^":
			return errors.New("^ (start of a clause) must be the first element")
		case "$$":
			return errors.New("$$ (end of a clause) must be the last element")
		default:
			for _, a := range strings.Split(el, "|") {
				if err := checkAlternative(el, a); err != nil {
					return err
				}
				pre := len(a) > 1 && strings.HasSuffix(a, "*")
				if pre {
					a = a[:len(a)-1]
				}
				a = strings.ReplaceAll(a, "_", " ") // "thank_you": a multi-word alternative
				toks, _ := c.tokenize(nil, c.Normalize(a))
				var seq []ptok
				for _, t := range toks {
					if t.isBreak() {
						return fmt.Errorf("%q holds punctuation that ends a clause; a pattern never matches across it", a)
					}
					seq = append(seq, ptok{s: t.s, id: m.intern(t.s)})
				}
				switch {
				case len(seq) == 0:
					return fmt.Errorf("%q has no word once normalised", a)
				case pre && toks[len(toks)-1].kind != tkWord:
					return fmt.Errorf("%q: only a word of letters can be a prefix", a+"*")
				case pre:
					seq[len(seq)-1].prefix = true
				}
				alts = append(alts, seq)
			}
		}
		if ei >= 2 && len(alts) > 1 && !slices.ContainsFunc(alts, func(a []ptok) bool {
			return len(a) != 1 || a[0].prefix || a[0].num || a[0].gap > 0
		}) {
			set := make(map[int32]bool, len(alts))
			for _, a := range alts {
				set[a[0].id] = true
			}
			alts = [][]ptok{{{set: set}}}
		}
		elAlts = append(elAlts, alts)
	}
	count, size := 1, 0 // patterns, and their tokens in all
	for _, alts := range elAlts {
		if count *= len(alts); count > maxVariants {
			return fmt.Errorf("expands to more than %d patterns (the first two elements, and any element with a multi-word alternative, multiply): split it into several lines", maxVariants)
		}
	}
	for _, alts := range elAlts {
		n := 0
		for _, a := range alts {
			n += len(a)
		}
		size += count / len(alts) * n
	}
	if size > 8*maxVariants {
		return fmt.Errorf("expands to more than %d words in all: split it into several lines", 8*maxVariants)
	}
	// the product, in the order of the alternatives, the last element
	// varying fastest
	pick := make([]int, len(elAlts))
	for v := range count {
		n := 0
		for e, r := len(elAlts)-1, v; e >= 0; e-- {
			pick[e] = r % len(elAlts[e])
			r /= len(elAlts[e])
			n += len(elAlts[e][pick[e]])
		}
		s := make([]ptok, 0, n)
		for e, alts := range elAlts {
			s = append(s, alts[pick[e]]...)
		}
		id := int32(len(m.pats))
		lead := slices.IndexFunc(s, func(t ptok) bool { return t.gap > 0 })
		if lead < 0 {
			lead = len(s)
		}
		m.pats = append(m.pats, pattern{toks: s, feats: feats, start: start, end: end, lead: lead})
		switch f := s[0]; {
		case f.num:
			m.num = append(m.num, id)
		case f.prefix:
			m.prefix[f.s] = append(m.prefix[f.s], id)
			m.preLen |= 1 << min(len(f.s), 63)
		case len(s) > 1 && s[1].gap == 0 && !s[1].prefix && !s[1].num && s[1].set == nil:
			k := pairKey(f.id, s[1].id)
			m.exact2[k] = append(m.exact2[k], id)
		default:
			for int(f.id) >= len(m.exact) {
				m.exact = append(m.exact, nil)
			}
			m.exact[f.id] = append(m.exact[f.id], id)
		}
	}
	return nil
}

// checkAlternative rejects an alternative a of element el that the syntax
// gives no meaning.
func checkAlternative(el, a string) error {
	switch a {
	case "":
		return fmt.Errorf("%q has an empty alternative", el)
	case "#":
		return errors.New("# starts a comment only at the start of a line; write <num> for any number")
	case "*", "**", "<num>", "^", "$$":
		return fmt.Errorf("%s must stand alone as an element, not be one of the alternatives in %q", a, el)
	}
	if strings.Contains(strings.TrimSuffix(a, "*"), "*") {
		return fmt.Errorf("%q: * may only end a word, as in frustrat*", a)
	}
	return nil
}

// matchRest matches p.toks[pi:] against toks[ti:] and returns the end index,
// or -1. Gaps prefer the shortest fill.
func matchRest(p *pattern, pi int, toks []token, ti int) int {
	for pi < len(p.toks) {
		pt := &p.toks[pi]
		if pt.gap > 0 {
			for g := 0; g <= int(pt.gap); g++ {
				if ti+g > len(toks) {
					break
				}
				if g > 0 && toks[ti+g-1].isBreak() {
					break
				}
				if e := matchRest(p, pi+1, toks, ti+g); e >= 0 {
					return e
				}
			}
			return -1
		}
		if ti >= len(toks) || !pt.matches(toks[ti]) {
			return -1
		}
		pi++
		ti++
	}
	if p.end && ti < len(toks) && !toks[ti].isBreak() {
		return -1
	}
	return ti
}

func (pt *ptok) matches(t token) bool {
	switch {
	case t.isBreak():
		return false
	case pt.set != nil:
		return pt.set[t.id]
	case pt.num:
		return t.kind == tkNum
	case pt.prefix:
		return strings.HasPrefix(t.s, pt.s)
	}
	return t.id == pt.id
}

// hit is one pattern match: a feature at a token span.
type hit struct {
	f        feature
	neg      bool  // negated by a preceding negator in the same clause
	pos, end int32 // token span
	clause   int32 // clause index in the line
	sent     int32 // sentence index in the line
}

// scan finds the longest pattern at each position, left to right, and
// appends a hit per feature of each match.
func (m *matcher) scan(dst []hit, toks []token) []hit {
	var clause, sent int32
	covered := 0 // end of the longest match so far
	for i := 0; i < len(toks); {
		t := toks[i]
		if t.isBreak() {
			clause++
			if t.kind == tkSent {
				sent++
			}
			i++
			continue
		}
		best, bestEnd := int32(-1), -1
		try := func(ids []int32) {
			for _, id := range ids {
				p := &m.pats[id]
				if p.start && i > 0 && !toks[i-1].isBreak() {
					continue
				}
				if e := matchRest(p, 1, toks, i+1); e > bestEnd || e == bestEnd && e >= 0 && id < best {
					if e < 0 {
						continue
					}
					best, bestEnd = id, e
				}
			}
		}
		if t.id > 0 {
			if int(t.id) < len(m.exact) {
				try(m.exact[t.id])
			}
			if i+1 < len(toks) && toks[i+1].id > 0 {
				try(m.exact2[pairKey(t.id, toks[i+1].id)])
			}
		}
		switch t.kind {
		case tkNum:
			try(m.num)
		case tkWord:
			for l := 1; l <= len(t.s) && l < 64; l++ {
				if m.preLen&(1<<l) != 0 {
					try(m.prefix[t.s[:l]])
				}
			}
		}
		if best >= 0 && bestEnd > covered {
			// a gap's tokens are not the pattern's own: only the words
			// before the first gap hide shorter matches
			covered = max(covered, i+m.pats[best].lead)
			for _, f := range m.pats[best].feats {
				if f != fNone {
					dst = append(dst, hit{f: f, pos: int32(i), end: int32(bestEnd), clause: clause, sent: sent})
				}
			}
		}
		i++
	}
	return dst
}
