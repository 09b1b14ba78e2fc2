package voiceguard

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// number is a number a line states.
type number struct {
	// keys are its canonical forms: the value ("26000", for 26,000, 2.6万
	// and twenty-six thousand alike), both ends of a range (二三十: 20 and
	// 30), or the words of an approximate one (十几, dozens).
	keys []string
	// date is set when it is part of a date or a time (3月1日, 3pm, 10:30).
	date bool
	// text is the number as written, for the log.
	text string
}

// numbers finds the numbers of a normalised, masked line: digits
// (26,000, 2.5万, 30k, 30%), Chinese numerals (两万六, 百分之三十, 三个) and
// English number words (twenty-six thousand, a hundred).
func (lx *lexicon) numbers(norm string) []number {
	var out []number
	for i := 0; i < len(norm); {
		r, n := utf8.DecodeRuneInString(norm[i:])
		switch {
		case '0' <= r && r <= '9':
			num, end := readDigits(norm, i)
			out = append(out, num)
			i = end
		case strings.HasPrefix(norm[i:], "百分之"):
			j := i + len("百分之")
			num, end, ok := lx.readHan(norm, j, true)
			if ok {
				num.text = norm[i:end]
				out = append(out, num)
				i = end
			} else {
				i = j
			}
		case isHanNumeral(r):
			num, end, ok := lx.readHan(norm, i, false)
			if ok {
				out = append(out, num)
			}
			i = end
		case 'a' <= r && r <= 'z' && (i == 0 || !alnum(norm[i-1])):
			num, end, ok := readWords(norm, i)
			if ok {
				out = append(out, num)
			}
			i = end
		default:
			i += n
		}
	}
	return out
}

// readDigits reads the number that starts with a digit at i.
func readDigits(s string, i int) (number, int) {
	start := i
	var digits strings.Builder
	for i < len(s) {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			digits.WriteByte(c)
			i++
			continue
		case c == ',' && allDigits(s, i+1, 3) && (i+4 == len(s) || !isDigitByte(s[i+4])):
			i++ // 26,000: a thousands separator
			continue
		case c == '.' && i+1 < len(s) && isDigitByte(s[i+1]) && !strings.Contains(digits.String(), "."):
			digits.WriteByte('.')
			i++
			continue
		}
		break
	}
	v, _ := strconv.ParseFloat(digits.String(), 64)
	num := number{}
	before := strings.TrimRight(s[:start], " ")
	after := s[i:]
	rest := strings.TrimLeft(after, " ")
	// A scale: 30k, 2.5万, 3 thousand.
	for _, sc := range []struct {
		w    string
		m    float64
		word bool
	}{{"k", 1e3, true}, {"thousand", 1e3, true}, {"million", 1e6, true}, {"billion", 1e9, true}, {"万", 1e4, false}, {"千", 1e3, false}, {"百", 1e2, false}, {"亿", 1e8, false}} {
		if strings.HasPrefix(rest, sc.w) && (!sc.word || len(rest) == len(sc.w) || !alnum(rest[len(sc.w)])) {
			v *= sc.m
			i = len(s) - len(rest) + len(sc.w)
			rest = strings.TrimLeft(s[i:], " ")
			break
		}
	}
	num.keys = []string{key(v)}
	if percent(rest) {
		num.keys = []string{key(v) + "%"}
	}
	num.text = s[start:i]
	switch {
	case strings.HasPrefix(after, ":") && len(after) > 1 && isDigitByte(after[1]),
		strings.HasPrefix(after, "/") && len(after) > 1 && isDigitByte(after[1]):
		num.date = true // 10:30, 3/1
	case hasWordPrefix(after, "st", "nd", "rd", "th"):
		num.date = true // the 3rd
	case hasWordPrefix(rest, "am", "pm", "a.m", "p.m", "o'clock"):
		num.date = true
	case hasAnyPrefix(rest, "月", "日", "号", "点", "时", "点钟"):
		num.date = true
	case hasAnySuffix(before, monthWords...) || hasAnySuffix(before, "星期", "周", "礼拜"):
		num.date = true // march 3
	}
	return num, i
}

var monthWords = []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}

func allDigits(s string, i, n int) bool {
	if i+n > len(s) {
		return false
	}
	for _, c := range []byte(s[i : i+n]) {
		if !isDigitByte(c) {
			return false
		}
	}
	return true
}

func isDigitByte(c byte) bool { return '0' <= c && c <= '9' }

// hasWordPrefix: s starts with one of ws, not followed by a letter.
func hasWordPrefix(s string, ws ...string) bool {
	for _, w := range ws {
		if strings.HasPrefix(s, w) && (len(s) == len(w) || !alnum(s[len(w)])) {
			return true
		}
	}
	return false
}

func hasAnyPrefix(s string, ws ...string) bool {
	for _, w := range ws {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

func hasAnySuffix(s string, ws ...string) bool {
	for _, w := range ws {
		if strings.HasSuffix(s, w) && (len(s) == len(w) || !alnum(w[0]) || !alnum(s[len(s)-len(w)-1])) {
			return true
		}
	}
	return false
}

// key is a value's canonical form.
func key(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// Chinese numerals.

func hanDigit(r rune) (int, bool) {
	switch r {
	case '零', '〇':
		return 0, true
	case '一':
		return 1, true
	case '二', '两':
		return 2, true
	case '三':
		return 3, true
	case '四':
		return 4, true
	case '五':
		return 5, true
	case '六':
		return 6, true
	case '七':
		return 7, true
	case '八':
		return 8, true
	case '九':
		return 9, true
	}
	return 0, false
}

func hanScale(r rune) (float64, bool) {
	switch r {
	case '十':
		return 10, true
	case '百':
		return 100, true
	case '千':
		return 1000, true
	case '万':
		return 1e4, true
	case '亿':
		return 1e8, true
	}
	return 0, false
}

func isHanNumeral(r rune) bool {
	_, d := hanDigit(r)
	_, s := hanScale(r)
	return d || s || r == '几'
}

// readHan reads a run of Chinese numerals at i. A lone numeral counts only
// before a classifier (三个, 两天), a lone 一 or scale never (一下, 万科);
// after 百分之 (percent) any run counts.
func (lx *lexicon) readHan(s string, i int, pct bool) (number, int, bool) {
	var run []rune
	end := i
	for end < len(s) {
		r, n := utf8.DecodeRuneInString(s[end:])
		if !isHanNumeral(r) {
			break
		}
		run = append(run, r)
		end += n
	}
	if len(run) == 0 {
		return number{}, end, false
	}
	text := s[i:end]
	after := s[end:]
	num := number{text: text, date: !pct && hasAnyPrefix(after, "月", "日", "号", "点", "时")}
	if before := strings.TrimRight(s[:i], " "); hasAnySuffix(before, "星期", "礼拜", "周") {
		num.date = true
	}
	if len(run) == 1 && !pct {
		_, isDigit := hanDigit(run[0])
		if run[0] == '一' || run[0] == '几' || !isDigit && run[0] != '十' {
			return number{}, end, false
		}
		if !hasAnyPrefix(strings.TrimLeft(after, " "), lx.classifiers["zh"]...) {
			return number{}, end, false
		}
	}
	for _, r := range run {
		if r == '几' { // 十几, 几十, 几万: approximate, compared as written
			num.keys = []string{text}
			return num, end, true
		}
	}
	// 两三 (个), 二三十, 八九十, 两三万: a range, both ends.
	if d1, ok1 := hanDigit(run[0]); ok1 && len(run) >= 2 {
		if d2, ok2 := hanDigit(run[1]); ok2 && d2 == d1+1 && d1 > 0 {
			tail := run[2:]
			if len(tail) == 0 || func() bool { _, ok := hanScale(tail[0]); return ok }() {
				a := hanValue(append([]rune{run[0]}, tail...))
				b := hanValue(append([]rune{run[1]}, tail...))
				num.keys = []string{key(a), key(b), text}
				return num, end, true
			}
		}
	}
	num.keys = []string{key(hanValue(run))}
	if pct {
		num.keys[0] += "%"
	}
	return num, end, true
}

// percent reports whether what follows a number makes it a percentage:
// 30% is not the 30 of "thirty people".
func percent(after string) bool {
	return strings.HasPrefix(after, "%") || hasWordPrefix(after, "percent", "per cent")
}

// hanValue is the value of Chinese numerals: 两万六 = 26000, 三千五 = 3500,
// 一百二十 = 120, 十二 = 12, 二零二五 = 2025.
func hanValue(run []rune) float64 {
	scaled := false
	for _, r := range run {
		if _, ok := hanScale(r); ok {
			scaled = true
		}
	}
	if !scaled { // digits read one by one: 二零二五
		v := 0.0
		for _, r := range run {
			d, _ := hanDigit(r)
			v = v*10 + float64(d)
		}
		return v
	}
	total, section, digit := 0.0, 0.0, -1.0 // digit < 0: none pending
	last := 1.0                             // the last scale, for 两万六 (the 六 is 6000)
	for _, r := range run {
		if d, ok := hanDigit(r); ok {
			digit = float64(d)
			continue
		}
		m, _ := hanScale(r)
		switch {
		case m < 1e4: // 十, 百, 千 scale the digit before them
			if digit < 0 {
				digit = 1 // 十二, 千万
			}
			section += digit * m
		case m == 1e4: // 万 scales the section before it
			total += (section + max(digit, 0)) * m
			section = 0
		default: // 亿 scales everything before it
			total = (total + section + max(digit, 0)) * m
			section = 0
		}
		last, digit = m, -1
	}
	if digit >= 0 {
		if last >= 100 {
			digit *= last / 10 // 两万六, 三千五, 一百二
		}
		section += digit
	}
	return total + section
}

// English number words.

var wordUnits = map[string]float64{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
	"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}

var wordScales = map[string]float64{"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "dozen": 12}

// wordsApprox are number words that say roughly how many.
var wordsApprox = map[string]bool{"hundreds": true, "thousands": true, "millions": true, "dozens": true, "tens": true}

// readWords reads English number words at the word starting at i: "twenty-six
// thousand", "a hundred and twenty", "twelve". A lone "one" or "a" is not a
// number. It returns where to go on reading.
func readWords(s string, i int) (number, int, bool) {
	first, firstEnd := nextWord(s, i)
	if wordsApprox[first] {
		return number{keys: []string{first}, text: first}, firstEnd, true
	}
	total, cur := 0.0, 0.0
	count, end := 0, i
	prevScale := false
	for j := i; j < len(s); {
		w, next := nextWord(s, j)
		if w == "" {
			break
		}
		switch {
		case w == "zero" || wordUnits[w] > 0:
			cur += wordUnits[w]
			prevScale = false
		case wordScales[w] > 0:
			m := wordScales[w]
			if cur == 0 {
				cur = 1 // a hundred, thousand
			}
			if m >= 1e3 {
				total += cur * m
				cur = 0
			} else {
				cur *= m
			}
			prevScale = true
		case w == "a" && count == 0:
			if w2, _ := nextWord(s, next); wordScales[w2] == 0 {
				return number{}, next, false
			}
			j = next
			continue
		case w == "and" && prevScale:
			if w2, _ := nextWord(s, next); !(w2 == "zero" || wordUnits[w2] > 0) {
				j = len(s) // stop
				continue
			}
			j = next
			continue
		default:
			j = len(s) // stop
			continue
		}
		count++
		end = next
		j = next
		if j < len(s) && s[j] == '-' { // twenty-six
			j++
		}
	}
	if count == 0 {
		return number{}, firstEnd, false
	}
	text := strings.TrimSpace(s[i:end])
	if text == "one" {
		return number{}, end, false
	}
	k := key(total + cur)
	if percent(strings.TrimLeft(s[end:], " ")) {
		k += "%"
	}
	return number{keys: []string{k}, text: text}, end, true
}

// nextWord returns the ASCII word at i (after spaces) and where it ends.
func nextWord(s string, i int) (string, int) {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	j := i
	for j < len(s) && ('a' <= s[j] && s[j] <= 'z') {
		j++
	}
	return s[i:j], j
}
