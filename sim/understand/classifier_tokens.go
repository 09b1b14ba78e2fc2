package understand

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind is the kind of a token of a normalised line.
type tokKind uint8

const (
	tkWord   tokKind = iota // a run of letters (ASCII words, canonicalised)
	tkHan                   // one Han character
	tkNum                   // ASCII digits (5,000 2.5 10:30) or a run of Han numerals
	tkSym                   // $ £ € ¥ % & +
	tkClause                // a clause break: , : - ( ) "
	tkSent                  // a sentence break: . ! ; ?  (s is "?" for a question mark)
)

// token is one unit of matching. s is a substring of the normalised line or
// a canonical string literal, so tokenising does not allocate per token.
type token struct {
	s    string
	kind tokKind
	id   int32 // the lexicon word id of s, 0 if none (set by matcher.setIDs)
}

func (t token) isBreak() bool { return t.kind >= tkClause }

// tokStats are counts the tokenizer gathers on the way.
type tokStats struct {
	words int // ASCII or other alphabetic words, as typed
	han   int // Han characters, numerals included
}

// isHan reports whether r is a CJK ideograph.
func isHan(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF ||
		r >= 0x20000 && r <= 0x2FA1F || r >= 0xF900 && r <= 0xFAFF || r == '〇'
}

// isHanNumeral reports whether r is a Chinese numeral or multiplier.
func isHanNumeral(r rune) bool {
	switch r {
	case '零', '〇', '一', '二', '两', '三', '四', '五', '六', '七', '八', '九', '十', '百', '千', '万', '亿':
		return true
	}
	return false
}

func isASCIIAlnum(b byte) bool {
	return 'a' <= b && b <= 'z' || '0' <= b && b <= '9'
}

// tokenize splits a normalised line into tokens, appending to dst.
func (c *lexReader) tokenize(dst []token, norm string) ([]token, tokStats) {
	var st tokStats
	brk := func(k tokKind, s string) {
		if len(dst) == 0 {
			return
		}
		if l := &dst[len(dst)-1]; l.isBreak() {
			if k > l.kind || s == "?" {
				l.kind, l.s = k, s
			}
			return
		}
		dst = append(dst, token{s: s, kind: k})
	}
	for i := 0; i < len(norm); {
		b := norm[i]
		if b < utf8.RuneSelf {
			switch {
			case isASCIIAlnum(b):
				j := i + 1
				for j < len(norm) {
					cj := norm[j]
					if isASCIIAlnum(cj) {
						j++
						continue
					}
					// 5,000  2.5  10:30 inside numbers; don't inside words
					if j+1 < len(norm) && isASCIIAlnum(norm[j+1]) {
						if (cj == ',' || cj == '.' || cj == ':') && isDigit(norm[j-1]) && isDigit(norm[j+1]) {
							j += 2
							continue
						}
						if cj == '\'' && !isDigit(norm[j-1]) {
							j += 2
							continue
						}
					}
					break
				}
				// a number written next to Han characters (3万, 29800元) is
				// spoken like one more character, not like a word
				if isDigit(b) && allDigits(norm[i:j]) && (hanBefore(norm, i) || hanAfter(norm, j)) {
					st.han++
				} else {
					st.words++
				}
				dst = c.appendWord(dst, norm[i:j])
				i = j
				continue
			case b == '?':
				brk(tkSent, "?")
			case b == '.' || b == '!' || b == ';':
				brk(tkSent, ".")
			case b == '-':
				// a hyphen inside a word ("follow-up") joins nothing and breaks nothing
				if !(i > 0 && isASCIIAlnum(norm[i-1]) && i+1 < len(norm) && isASCIIAlnum(norm[i+1])) {
					brk(tkClause, ",")
				}
			case b == ',' || b == ':' || b == '(' || b == ')' || b == '"' || b == '[' || b == ']':
				brk(tkClause, ",")
			case b == '$' || b == '%' || b == '&' || b == '+':
				dst = append(dst, token{s: norm[i : i+1], kind: tkSym})
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(norm[i:])
		switch {
		case isHanNumeral(r):
			j := i + n
			for j < len(norm) {
				r2, n2 := utf8.DecodeRuneInString(norm[j:])
				if !isHanNumeral(r2) {
					break
				}
				j += n2
			}
			st.han += utf8.RuneCountInString(norm[i:j])
			dst = append(dst, token{s: norm[i:j], kind: tkNum})
			i = j
			continue
		case isHan(r):
			st.han++
			dst = append(dst, token{s: norm[i : i+n], kind: tkHan})
		case r == '£' || r == '€' || r == '¥':
			dst = append(dst, token{s: norm[i : i+n], kind: tkSym})
		case unicode.IsLetter(r):
			j := i + n
			for j < len(norm) {
				r2, n2 := utf8.DecodeRuneInString(norm[j:])
				if !unicode.IsLetter(r2) || isHan(r2) {
					break
				}
				j += n2
			}
			st.words++
			dst = append(dst, token{s: norm[i:j], kind: tkWord})
			i = j
			continue
		case unicode.IsPunct(r):
			brk(tkClause, ",")
		}
		i += n
	}
	// "what are you using now and what don't you like": a new question, a new clause
	for i := 0; i+1 < len(dst); i++ {
		if (dst[i].s == "and" || dst[i].s == "or") && dst[i].kind == tkWord && c.words[dst[i+1].s]&wcWh != 0 {
			dst[i] = token{s: ",", kind: tkClause}
		}
	}
	return dst, st
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && s[i] != ',' && s[i] != '.' && s[i] != ':' {
			return false
		}
	}
	return true
}

func hanBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return isHan(r)
}

func hanAfter(s string, j int) bool {
	r, _ := utf8.DecodeRuneInString(s[j:])
	return isHan(r)
}

// appendWord appends one ASCII run (letters, digits, inner apostrophes),
// canonicalising informal spellings and contractions and splitting letters
// from digits ("3pm" → 3 pm, "5k" → 5 k).
func (c *lexReader) appendWord(dst []token, w string) []token {
	if canon, ok := c.canon[w]; ok {
		return appendFields(dst, canon)
	}
	if k := strings.IndexByte(w, '\''); k > 0 {
		base, suf := w[:k], w[k+1:]
		switch suf {
		case "t":
			if strings.HasSuffix(base, "n") {
				dst = c.appendWord(dst, base[:len(base)-1])
				return append(dst, token{s: "not", kind: tkWord})
			}
		case "ll":
			dst = c.appendWord(dst, base)
			return append(dst, token{s: "will", kind: tkWord})
		case "ve":
			dst = c.appendWord(dst, base)
			return append(dst, token{s: "have", kind: tkWord})
		case "re":
			dst = c.appendWord(dst, base)
			return append(dst, token{s: "are", kind: tkWord})
		case "d":
			dst = c.appendWord(dst, base)
			return append(dst, token{s: "would", kind: tkWord})
		case "m":
			dst = c.appendWord(dst, base)
			return append(dst, token{s: "am", kind: tkWord})
		case "s":
			return c.appendWord(dst, base)
		}
		w = base
	}
	// split at letter/digit boundaries
	for len(w) > 0 {
		j := 1
		d := isDigit(w[0])
		for j < len(w) && (isDigit(w[j]) || w[j] == ',' || w[j] == '.' || w[j] == ':') == d {
			j++
		}
		part := w[:j]
		w = w[j:]
		if d {
			dst = append(dst, token{s: part, kind: tkNum})
			continue
		}
		if canon, ok := c.canon[part]; ok {
			dst = appendFields(dst, canon)
			continue
		}
		dst = append(dst, token{s: part, kind: tkWord})
	}
	return dst
}

// appendFields appends the space-separated words of a canonical form.
func appendFields(dst []token, s string) []token {
	for s != "" {
		w, rest, _ := strings.Cut(s, " ")
		if w != "" {
			dst = append(dst, token{s: w, kind: tkWord})
		}
		s = rest
	}
	return dst
}
