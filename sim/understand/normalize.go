package understand

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// foldLo and foldHi bound the Han characters the fold table covers: the
// CJK extension A and unified ideograph blocks.
const foldLo, foldHi = 0x3400, 0x9FFF

// newFoldTable parses tradToSimp into a table indexed by rune-foldLo (0: no
// mapping). Both the table and the lexicons are string literals, so a
// malformed pair is a programming error.
func newFoldTable() []rune {
	m := make([]rune, foldHi-foldLo+1)
	for _, pair := range strings.Fields(tradToSimp) {
		t, n := utf8.DecodeRuneInString(pair)
		s, n2 := utf8.DecodeRuneInString(pair[n:])
		if n+n2 != len(pair) || t == s || t < foldLo || t > foldHi {
			panic("sim: bad traditional/simplified pair " + pair)
		}
		m[t-foldLo] = s
	}
	return m
}

// foldRune maps one rune to its normal form: full-width ASCII to half-width,
// CJK punctuation to ASCII punctuation, traditional to simplified Chinese,
// upper to lower case. Any white space becomes ' '.
func (c *lexReader) foldRune(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		if r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' {
			return ' '
		}
		return r
	case r >= foldLo && r <= foldHi: // Han: no case, maybe traditional
		if s := c.fold[r-foldLo]; s != 0 {
			return s
		}
		return r
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
		r -= 0xFF01 - 0x21
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	switch r {
	case 0x3000, 0x00A0, 0x2002, 0x2003, 0x2009, 0x200B, 0x2028, 0x2029:
		return ' '
	case '。', '｡':
		return '.'
	case '、', '､':
		return ','
	case '“', '”', '「', '」', '『', '』', '《', '》', '〈', '〉':
		return '"'
	case '‘', '’', '`', '´':
		return '\''
	case '—', '–', '―', '~', '〜':
		return '-'
	case '…':
		return '.'
	case '【', '〔':
		return '['
	case '】', '〕':
		return ']'
	case '￥':
		return '¥'
	}
	if unicode.IsSpace(r) {
		return ' '
	}
	return unicode.ToLower(r)
}

// Normalize returns s in the form every keyword is matched against: lower
// case, simplified Chinese, half-width letters and punctuation, white space
// collapsed to single spaces and trimmed. Invalid UTF-8 becomes U+FFFD.
func (c *lexReader) Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		r = c.foldRune(r)
		if r == ' ' {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Mentions reports whether the normalised text norm contains any of words.
// Each word is normalised first. A word made only of ASCII letters, digits
// and spaces must match on word boundaries ("sign" does not match
// "design"); any other word (Chinese) matches as a substring.
func (c *lexReader) Mentions(norm string, words []string) bool {
	for _, w := range words {
		w = c.Normalize(w)
		if w == "" {
			continue
		}
		if !isASCIIWord(w) {
			if strings.Contains(norm, w) {
				return true
			}
			continue
		}
		for i := 0; i+len(w) <= len(norm); {
			j := strings.Index(norm[i:], w)
			if j < 0 {
				break
			}
			j += i
			if !alnumByteAt(norm, j-1) && !alnumByteAt(norm, j+len(w)) {
				return true
			}
			i = j + 1
		}
	}
	return false
}

func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// alnumByteAt reports whether s[i] is an ASCII letter or digit; out of range
// is a boundary.
func alnumByteAt(s string, i int) bool {
	if i < 0 || i >= len(s) {
		return false
	}
	b := s[i]
	return 'a' <= b && b <= 'z' || '0' <= b && b <= '9' || 'A' <= b && b <= 'Z'
}
