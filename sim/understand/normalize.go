package understand

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

//go:generate go run ./internal/genfold

// foldPair is one entry of the traditional → simplified fold: foldPairs in
// fold_table.go, generated from OpenCC's dictionaries.
type foldPair struct{ from, to rune }

// foldLo and foldHi bound the Han characters looked up in a dense table:
// the CJK extension A and unified ideograph blocks, where nearly all of
// foldPairs and of everyday text lie. The others, CJK extensions from
// foldRareLo (the supplementary ideographic plane) on, are searched for.
// TestFoldIdempotent checks that every pair is found one way or the other.
const (
	foldLo, foldHi = 0x3400, 0x9FFF
	foldRareLo     = 0x20000
)

// newFoldTable spreads the foldPairs between foldLo and foldHi over a table
// indexed by rune-foldLo (0: no fold), so that folding a common character
// is one index.
func newFoldTable() []rune {
	m := make([]rune, foldHi-foldLo+1)
	for _, p := range foldPairs {
		if foldLo <= p.from && p.from <= foldHi {
			m[p.from-foldLo] = p.to
		}
	}
	return m
}

// foldRare folds a character from foldRareLo on by binary search of
// foldPairs. The search is written out: through slices.BinarySearchFunc's
// comparison function it took twice as long.
func foldRare(r rune) rune {
	i, j := 0, len(foldPairs)
	for i < j {
		h := int(uint(i+j) >> 1)
		if foldPairs[h].from < r {
			i = h + 1
		} else {
			j = h
		}
	}
	if i < len(foldPairs) && foldPairs[i].from == r {
		return foldPairs[i].to
	}
	return r
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
	case r >= foldRareLo: // rare Han and beyond: no case, no white space
		return foldRare(r)
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
