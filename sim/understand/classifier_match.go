package understand

import (
	"slices"
	"strings"
)

// Pattern syntax of the lexicons. Patterns are separated by ';'. A pattern is
// a sequence of elements separated by spaces; an element is a list of
// alternatives separated by '|'. Each alternative is normalised and
// tokenised like the input, so "我们的" is three tokens, "don't" is "do not"
// and a traditional spelling folds to the simplified one; '_' joins words
// into one alternative ("thanks|thank_you for"). Special elements:
//
//	word*  a word with this prefix (ASCII only): "frustrat*"
//	#      any number token (5000, 2.5, 三万)
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

// lexEntry is one line of a lexicon: the features signalled and the patterns.
type lexEntry struct {
	f    feature
	f2   feature // optional second feature (fNone when unused)
	pats string
}

// compileLexicon adds all entries of a lexicon to the matcher.
func (c *lexReader) compileLexicon(m *matcher, lex []lexEntry) {
	for _, e := range lex {
		for _, src := range strings.Split(e.pats, ";") {
			src = strings.TrimSpace(src)
			if src == "" {
				continue
			}
			c.compilePattern(m, src, [2]feature{e.f, e.f2})
		}
	}
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

func (c *lexReader) compilePattern(m *matcher, src string, feats [2]feature) {
	elems := strings.Fields(src)
	var start, end bool
	if len(elems) > 0 && elems[0] == "^" {
		start, elems = true, elems[1:]
	}
	if len(elems) > 0 && elems[len(elems)-1] == "$$" {
		end, elems = true, elems[:len(elems)-1]
	}
	// each element → alternatives → token sequences; then the cartesian
	// product. Past the second element, single-word alternatives become one
	// set element instead, so that "the system|app * saves|cuts|…" stays a
	// handful of patterns; the first two elements are expanded for the index.
	seqs := [][]ptok{nil}
	for ei, el := range elems {
		var alts [][]ptok
		switch el {
		case "*":
			alts = [][]ptok{{{gap: 3}}}
		case "**":
			alts = [][]ptok{{{gap: 6}}}
		case "#":
			alts = [][]ptok{{{num: true}}}
		default:
			for _, a := range strings.Split(el, "|") {
				pre := len(a) > 1 && strings.HasSuffix(a, "*")
				if pre {
					a = a[:len(a)-1]
				}
				a = strings.ReplaceAll(a, "_", " ") // "thank_you": a multi-word alternative
				toks, _ := c.tokenize(nil, c.Normalize(a))
				var seq []ptok
				for _, t := range toks {
					if t.isBreak() {
						continue
					}
					seq = append(seq, ptok{s: t.s, id: m.intern(t.s)})
				}
				if len(seq) == 0 {
					continue
				}
				if pre {
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
		var next [][]ptok
		for _, s := range seqs {
			for _, a := range alts {
				n := make([]ptok, 0, len(s)+len(a))
				n = append(append(n, s...), a...)
				next = append(next, n)
			}
		}
		seqs = next
	}
	for _, s := range seqs {
		if len(s) == 0 || s[0].gap > 0 {
			panic("sim: lexicon pattern must start with a word: " + src)
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
