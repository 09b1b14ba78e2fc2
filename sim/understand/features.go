package understand

import (
	"unicode"
	"unicode/utf8"

	"github.com/callsim/callsim/sim"
)

// The model reads a line as a bag of hashed features: stems and stem pairs
// of English words, characters and character pairs and triples of Chinese,
// the first words of the line, whether it asks, its length, and the acts the
// lexical reader found. Features are hashed (FNV-1a, 32 bits) so that the
// model stores no strings; a collision merges two rare features, which
// costs nothing measurable.

// Feature kinds: the first byte hashed, so that "w:pay" and "h:pay" differ.
const (
	fkWord      byte = 'w' // an English stem
	fkWordPair  byte = 'b' // two consecutive English stems
	fkFirst     byte = 's' // the first stem of the line
	fkFirstPair byte = 't' // the first two stems of the line
	fkHan       byte = 'h' // one Chinese character
	fkHanPair   byte = 'p' // two consecutive Chinese characters
	fkHanTri    byte = 'q' // three consecutive Chinese characters
	fkHanFirst  byte = 'f' // the first two Chinese characters of the line
	fkHanLast   byte = 'l' // the last Chinese character of a sentence (吗, 吧, 呢…)
	fkAsk       byte = '?' // the line has a question mark
	fkNum       byte = '#' // the line has a number
	fkLen       byte = 'n' // the line's length, bucketed
	fkRule      byte = 'r' // an act the lexical reader found
	fkLang      byte = 'g' // the detected language, paired with nothing: a bias per language
	fkChars     byte = 'c' // three letters of an English word, for spellings nobody wrote
)

const (
	fnvOffset uint32 = 2166136261
	fnvPrime  uint32 = 16777619
)

type hasher uint32

func newHash(kind byte) hasher { return hasher(fnvOffset).byte(kind).byte(':') }

func (h hasher) byte(b byte) hasher { return hasher((uint32(h) ^ uint32(b)) * fnvPrime) }

func (h hasher) str(s string) hasher {
	for i := 0; i < len(s); i++ {
		h = h.byte(s[i])
	}
	return h
}

func (h hasher) rune(r rune) hasher {
	var b [utf8.UTFMax]byte
	n := utf8.EncodeRune(b[:], r)
	for _, c := range b[:n] {
		h = h.byte(c)
	}
	return h
}

// maxFeatures bounds the features of one line; a longer line keeps its
// first ones (a trainee line is at most a few sentences).
const maxFeatures = 384

// featurize appends the hashed features of one normalised line to dst.
// rules are the acts the lexical reader found. The features of the words
// themselves are dst[from:to]; before them stand those of the language,
// the rules and the line's shape (question mark, numbers, length), after
// them the letter triples.
func (c *lexReader) featurize(st *stemmer, dst []uint32, norm string, lang sim.Lang, rules []sim.Act) (feats []uint32, from, to int) {
	add := func(h hasher) {
		if len(dst) < maxFeatures {
			dst = append(dst, uint32(h))
		}
	}
	add(newHash(fkLang).str(string(lang)))
	for _, a := range rules {
		add(newHash(fkRule).str(string(a)))
	}
	// The line's shape comes before its words, so that a line too long for
	// maxFeatures keeps it.
	shape(norm, add)

	from = len(dst)
	// Letter triples go after the words: they carry misspellings, but
	// they do not tell whether the model knows the words of the line.
	var charBuf [96]uint32
	chars := charBuf[:0]
	var (
		prevStem  string // previous English stem in this clause
		firstStem string
		nStems    int
		hanPrev   [2]rune // the two previous Chinese characters in this run
		hanN      int     // characters in the current run
		hanTotal  int
		hanFirst  [2]rune
		lastHan   rune
	)
	flushHan := func() {
		if lastHan != 0 {
			add(newHash(fkHanLast).rune(lastHan))
		}
		hanN, lastHan = 0, 0
	}
	word := func(w string) {
		if lang == sim.LangEN && len(w) >= 4 {
			for k := 0; k+3 <= len(w)+2; k++ {
				h := newHash(fkChars)
				for j := k; j < k+3; j++ {
					switch {
					case j == 0:
						h = h.byte('<')
					case j-1 < len(w):
						h = h.byte(w[j-1])
					default:
						h = h.byte('>')
					}
				}
				if len(chars) < cap(chars) {
					chars = append(chars, uint32(h))
				}
			}
		}
		s := st.stem(w)
		add(newHash(fkWord).str(s))
		if prevStem != "" {
			add(newHash(fkWordPair).str(prevStem).byte(' ').str(s))
		}
		switch nStems {
		case 0:
			firstStem = s
			add(newHash(fkFirst).str(s))
		case 1:
			add(newHash(fkFirstPair).str(firstStem).byte(' ').str(s))
		}
		nStems++
		prevStem = s
	}
	for i := 0; i < len(norm); {
		r, size := utf8.DecodeRuneInString(norm[i:])
		switch {
		case isHan(r):
			add(newHash(fkHan).rune(r))
			if hanN >= 1 {
				add(newHash(fkHanPair).rune(hanPrev[1]).rune(r))
			}
			if hanN >= 2 {
				add(newHash(fkHanTri).rune(hanPrev[0]).rune(hanPrev[1]).rune(r))
			}
			if hanTotal < 2 {
				hanFirst[hanTotal] = r
				if hanTotal == 1 {
					add(newHash(fkHanFirst).rune(hanFirst[0]).rune(r))
				}
			}
			hanPrev[0], hanPrev[1] = hanPrev[1], r
			hanN++
			hanTotal++
			lastHan = r
			prevStem = ""
			i += size
		case r < utf8.RuneSelf && (isASCIIAlnum(byte(r)) || r == '\''):
			j := i
			for j < len(norm) && (isASCIIAlnum(norm[j]) || norm[j] == '\'') {
				j++
			}
			w := norm[i:j]
			i = j
			if hanN > 0 {
				flushHan()
			}
			if isDigit(w[0]) {
				prevStem = ""
				continue
			}
			if canon, ok := c.canon[w]; ok {
				for canon != "" {
					var part string
					part, canon, _ = cut(canon, ' ')
					if part != "" {
						word(part)
					}
				}
				continue
			}
			if k := indexByte(w, '\''); k > 0 {
				w = w[:k]
			}
			if w != "" && w != "'" {
				word(w)
			}
		default:
			if hanN > 0 && !unicode.IsSpace(r) || r == '?' || r == '.' || r == ',' || r == '!' || r == ';' {
				flushHan()
				prevStem = ""
			}
			i += size
		}
	}
	flushHan()
	to = len(dst)
	for _, h := range chars {
		add(hasher(h))
	}
	return dst, from, to
}

// shape adds the features of a line's form: whether it asks, whether it
// has a number, and its length (English words plus Chinese characters / 2),
// bucketed.
func shape(norm string, add func(hasher)) {
	asks, num, words, han := false, false, 0, 0
	inWord := false
	for _, r := range norm {
		switch {
		case isHan(r):
			han++
			inWord = false
		case r < utf8.RuneSelf && isASCIIAlnum(byte(r)):
			if r >= '0' && r <= '9' {
				num = true
			} else if !inWord {
				words++
			}
			inWord = true
		default:
			if r == '?' {
				asks = true
			}
			inWord = false
		}
	}
	if asks {
		add(newHash(fkAsk))
	}
	if num {
		add(newHash(fkNum))
	}
	units := words + (han+1)/2
	bucket := byte('0')
	switch {
	case units > 40:
		bucket = '4'
	case units > 20:
		bucket = '3'
	case units > 10:
		bucket = '2'
	case units > 4:
		bucket = '1'
	}
	add(newHash(fkLen).byte(bucket))
}

func cut(s string, sep byte) (before, after string, found bool) {
	if i := indexByte(s, sep); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}

func indexByte(s string, b byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == b {
			return i
		}
	}
	return -1
}
