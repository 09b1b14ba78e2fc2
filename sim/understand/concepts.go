package understand

import (
	"bufio"
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/callsim/callsim/sim"
)

// concepts holds the concept groups of concepts/concepts.txt: each member
// in its matching form (English: stems joined by spaces; Chinese: the
// normalised text) and the groups each member belongs to.
type concepts struct {
	ids      []string            // group ids in file order
	members  map[string][]string // matching form → group ids
	groupIdx map[string][]int    // matching form → indexes into ids
}

// A member is at most maxConceptWords English words or maxConceptHan
// characters long.
const (
	maxConceptWords = 4
	maxConceptHan   = 8
)

// parseConcepts reads a concept file (see concepts/concepts.txt).
func parseConcepts(lex *lexReader, st *stemmer, name string, data []byte) (*concepts, error) {
	c := &concepts{members: map[string][]string{}, groupIdx: map[string][]int{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	group := -1
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "["):
			id, ok := strings.CutSuffix(line[1:], "]")
			id = strings.TrimSpace(id)
			if !ok || id == "" || strings.ContainsAny(id, " \t[]@") {
				return nil, fmt.Errorf("%s:%d: want [id] with no spaces, got %q", name, n, line)
			}
			if slices.Contains(c.ids, id) {
				return nil, fmt.Errorf("%s:%d: group %q is defined twice", name, n, id)
			}
			c.ids = append(c.ids, id)
			group = len(c.ids) - 1
			continue
		}
		lang, rest, ok := strings.Cut(line, ":")
		if !ok || (lang != "en" && lang != "zh") {
			return nil, fmt.Errorf("%s:%d: want en: or zh: followed by members separated by |, got %q", name, n, line)
		}
		if group < 0 {
			return nil, fmt.Errorf("%s:%d: members before the first [group]", name, n)
		}
		for _, m := range strings.Split(rest, "|") {
			key := lex.termKey(st, m)
			if key == "" {
				if strings.TrimSpace(m) != "" || len(strings.Split(rest, "|")) == 1 {
					return nil, fmt.Errorf("%s:%d: empty member", name, n)
				}
				continue
			}
			if isASCIIKey(key) && len(strings.Fields(key)) > maxConceptWords || !isASCIIKey(key) && utf8.RuneCountInString(key) > maxConceptHan {
				return nil, fmt.Errorf("%s:%d: member %q is longer than %d words or %d characters", name, n, strings.TrimSpace(m), maxConceptWords, maxConceptHan)
			}
			id := c.ids[group]
			if !slices.Contains(c.members[key], id) {
				c.members[key] = append(c.members[key], id)
				c.groupIdx[key] = append(c.groupIdx[key], group)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return c, nil
}

// termKey is the matching form of a keyword or member: English words
// stemmed and joined by single spaces; anything with Chinese in it
// normalised as a whole.
func (lex *lexReader) termKey(st *stemmer, s string) string {
	norm := lex.Normalize(s)
	if !isASCIIKey(norm) {
		return norm
	}
	return lex.stems(st, norm)
}

func isASCIIKey(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// stems returns the English words of a normalised text, canonicalised and
// stemmed, joined by single spaces; other characters separate words.
func (lex *lexReader) stems(st *stemmer, norm string) string {
	var b strings.Builder
	for i := 0; i < len(norm); {
		if !isASCIIAlnum(norm[i]) && norm[i] != '%' {
			i++
			continue
		}
		j := i
		for j < len(norm) && (isASCIIAlnum(norm[j]) || norm[j] == '\'' || norm[j] == '%') {
			j++
		}
		w := norm[i:j]
		i = j
		if k := strings.IndexByte(w, '\''); k > 0 {
			w = w[:k]
		}
		words := []string{w}
		if canon, ok := lex.canon[w]; ok {
			words = strings.Fields(canon)
		}
		for _, x := range words {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(st.stem(x))
		}
	}
	return b.String()
}

// hasKey reports whether the key occurs in the line: on word boundaries
// in the stems for English, as a substring of the normalised text for
// Chinese.
func hasKey(norm, stems, key string) bool {
	if !isASCIIKey(key) {
		return strings.Contains(norm, key)
	}
	for i := 0; i+len(key) <= len(stems); {
		j := strings.Index(stems[i:], key)
		if j < 0 {
			return false
		}
		j += i
		if (j == 0 || stems[j-1] == ' ') && (j+len(key) == len(stems) || stems[j+len(key)] == ' ') {
			return true
		}
		i = j + 1
	}
	return false
}

// of returns the ids of the groups the line mentions, in file order. It
// looks up every run of up to maxConceptWords stems and every run of up to
// maxConceptHan characters in the member table, so its cost grows with
// the line, not with the number of members.
//
// topic is the topic.X group among them whose matched member is longest
// (in words or characters), the first in file order among equals: "how
// many people" makes a question about the team, "how many" alone one
// about volumes.
func (c *concepts) of(norm, stems string) (ids []string, topic string) {
	var found []int
	topicLen, topicGroup := 0, -1
	note := func(key string, size int) {
		for _, g := range c.groupIdx[key] {
			if !slices.Contains(found, g) {
				found = append(found, g)
			}
			if strings.HasPrefix(c.ids[g], "topic.") && (size > topicLen || size == topicLen && g < topicGroup) {
				topicLen, topicGroup = size, g
			}
		}
	}
	if stems != "" {
		// every run of up to maxConceptWords stems, ending at each word
		var starts [maxConceptWords]int // ring of the last word starts
		n := 0
		for i := 0; i <= len(stems); i++ {
			if i < len(stems) && stems[i] != ' ' {
				if i == 0 || stems[i-1] == ' ' {
					starts[n%maxConceptWords] = i
					n++
				}
				continue
			}
			if i == 0 || stems[i-1] == ' ' {
				continue
			}
			for k := 1; k <= maxConceptWords && k <= n; k++ {
				note(stems[starts[(n-k)%maxConceptWords]:i], k)
			}
		}
	}
	if !isASCIIKey(norm) {
		for i := range norm {
			end := i
			for k := 0; k < maxConceptHan && end < len(norm); k++ {
				_, size := utf8.DecodeRuneInString(norm[end:])
				end += size
				note(norm[i:end], k+1)
			}
		}
	}
	if len(found) == 0 {
		return nil, ""
	}
	slices.Sort(found)
	ids = make([]string, len(found))
	for i, g := range found {
		ids[i] = c.ids[g]
	}
	if topicGroup >= 0 {
		topic = c.ids[topicGroup]
	}
	return ids, topic
}

// mentions reports whether a line speaks of any of terms: a term as
// written (word boundaries for English), by its stems, through a concept
// group it belongs to, or a group named @id.
func (e *Ear) mentions(a sim.Analysis, terms []string) bool {
	for _, t := range terms {
		if id, ok := strings.CutPrefix(strings.TrimSpace(t), "@"); ok {
			if slices.Contains(a.Concepts, id) {
				return true
			}
			continue
		}
		if e.lex.Mentions(a.Norm, []string{t}) {
			return true
		}
		key := e.lex.termKey(e.stem, t)
		if key == "" {
			continue
		}
		if hasKey(a.Norm, a.Stems, key) {
			return true
		}
		for _, g := range e.concepts.members[key] {
			// kind.X, topic.X and cue.X groups say what answers a concern,
			// what a question is about or what it asks; they do not make
			// their members synonyms.
			if !strings.HasPrefix(g, "kind.") && !strings.HasPrefix(g, "topic.") && !strings.HasPrefix(g, "cue.") && slices.Contains(a.Concepts, g) {
				return true
			}
		}
	}
	return false
}

// Concept reports whether the concept group id exists.
func (e *Ear) Concept(id string) bool { return slices.Contains(e.concepts.ids, id) }
