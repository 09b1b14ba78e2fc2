package voiceguard

import (
	"strings"
	"unicode/utf8"
)

// span is where a phrase was found in a normalised text, in bytes.
type span struct{ start, end int }

// find returns where phrase occurs in norm. A phrase that starts or ends
// with an ASCII letter or digit must start or end on a word boundary there
// ("sign" is not in "design"); Chinese matches as a substring.
func find(norm, phrase string) []span {
	var out []span
	for from := 0; from <= len(norm)-len(phrase); {
		i := strings.Index(norm[from:], phrase)
		if i < 0 {
			break
		}
		i += from
		j := i + len(phrase)
		if (!alnum(phrase[0]) || i == 0 || !alnum(norm[i-1])) &&
			(!alnum(phrase[len(phrase)-1]) || j == len(norm) || !alnum(norm[j])) {
			out = append(out, span{i, j})
		}
		_, n := utf8.DecodeRuneInString(norm[i:])
		from = i + n
	}
	return out
}

// mask blanks out every occurrence of the phrases of list.
func mask(norm string, list []string) string {
	for _, p := range list {
		for _, s := range find(norm, p) {
			norm = norm[:s.start] + strings.Repeat(" ", s.end-s.start) + norm[s.end:]
		}
	}
	return norm
}

func alnum(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

// clauseBreak reports whether r ends a clause: what comes before it does
// not negate what comes after.
func clauseBreak(r rune) bool {
	switch r {
	case '.', ',', ';', ':', '!', '?', '"', '(', ')', '-':
		return true
	}
	return false
}

// clauseBefore returns the part of norm's clause before byte i.
func clauseBefore(norm string, i int) string {
	j := strings.LastIndexFunc(norm[:i], clauseBreak)
	return strings.TrimSpace(norm[j+1 : i])
}
