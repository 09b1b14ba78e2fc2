package understand

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// parseAmount finds the money amount a normalised line names: "5000",
// "5,000", "$5k", "3万", "三万", "2.5万元", "八千", "29800元", "两万五". A
// number counts as money when a currency sign or word is next to it, when
// it is written with k, 千 or 万 and no other unit follows, or, when
// priceCtx is set (the line talks about price), when no other unit (days,
// %, 人, 月…) follows it.
//
// When a line names several, the offer wins: the first number right after
// "for you", "only", "down to", 给您, 只要…. A reference price ("normally
// 29,800", "instead of 29,800", 原价, 平时) counts only when nothing else
// is named. Otherwise the first money-marked number wins, else the first
// plain one.
func parseAmount(norm string, priceCtx bool) (float64, bool) {
	const (
		rankOffer = iota
		rankMoney
		rankPlain
		rankRefMoney
		rankRefPlain
		rankNone
	)
	best, bestRank := 0.0, rankNone
	for i := 0; i < len(norm); {
		r, n := utf8.DecodeRuneInString(norm[i:])
		if !isDigit(norm[i]) && !isHanNumeral(r) {
			i += n
			continue
		}
		v, end, scaled, ok := readNumber(norm, i)
		if !ok {
			i = end
			continue
		}
		before := strings.TrimRight(norm[:i], " ")
		after := strings.TrimLeft(norm[end:], " ")
		if k, ok := kSuffix(after); ok && !hasCurrencyAfter(after) {
			v *= 1000
			after = strings.TrimLeft(after[k:], " ")
			scaled = true
		}
		i = end
		rank := rankNone
		switch {
		case hasCurrencyBefore(before) || hasCurrencyAfter(after):
			rank = rankMoney
		case otherUnitAfter(after) || isDateBefore(before) || strings.HasPrefix(after, ":"):
			// 20 seats, 15%, 3月, march 1: not money
		case scaled:
			rank = rankMoney
		case priceCtx && v >= 10 && !countsNoun(after):
			rank = rankPlain
		}
		if rank == rankNone {
			continue
		}
		switch seg := clauseTail(before); {
		case offerBefore(seg):
			return v, true
		case refIn(seg):
			rank += rankRefMoney - rankMoney
		}
		if rank < bestRank {
			best, bestRank = v, rank
		}
	}
	return best, bestRank != rankNone
}

// clauseTail returns the end of before from its last clause or sentence
// break (a comma between digits, as in 29,800, is no break).
func clauseTail(before string) string {
	for j := len(before) - 1; j >= 0; j-- {
		switch before[j] {
		case ',', '.':
			if j > 0 && j+1 < len(before) && isDigit(before[j-1]) && isDigit(before[j+1]) {
				continue
			}
			return before[j+1:]
		case ';', ':', '!', '?':
			return before[j+1:]
		}
	}
	return before
}

// offerBefore reports an offer cue right before a number ("for you",
// "do it for", "down to", 给您, 只要), a currency sign between them
// allowed. A bare "for" is no cue: "480 yuan for 24 bottles".
func offerBefore(seg string) bool {
	seg = strings.TrimRight(seg, " ")
	for _, p := range []string{"$", "£", "€", "¥", "us$", "usd", "rmb"} {
		if strings.HasSuffix(seg, p) {
			seg = strings.TrimRight(seg[:len(seg)-len(p)], " ")
			break
		}
	}
	for _, w := range []string{"for you", "for u", "it for", "this for", "only", "just", "now", "down to", "special", "special price", "offer",
		"给您", "给你", "只要", "只需", "只收", "现在", "算您", "算你", "到手", "优惠价", "特价", "折后", "降到", "打完折", "优惠后", "就给您"} {
		if strings.HasSuffix(seg, w) && (!isASCIIWord(w) || !alnumByteAt(seg, len(seg)-len(w)-1)) {
			return true
		}
	}
	return false
}

// refIn reports a reference price cue in the clause before a number:
// "normally", "instead of", 原价, 平时.
func refIn(seg string) bool {
	for _, w := range []string{"normally", "usually", "regular", "regularly", "list price", "retail", "originally", "original",
		"full price", "instead of", "rather than", "down from", "reduced from", "was", "were",
		"原价", "原来", "本来", "平时", "平常", "标价", "市场价", "门市价", "正常价", "定价", "官网", "而不是", "之前", "以前", "别家", "同行"} {
		for k := 0; k+len(w) <= len(seg); {
			j := strings.Index(seg[k:], w)
			if j < 0 {
				break
			}
			j += k
			if !isASCIIWord(w) || !alnumByteAt(seg, j-1) && !alnumByteAt(seg, j+len(w)) {
				return true
			}
			k = j + 1
		}
	}
	return false
}

// readNumber reads ASCII digits (with , and . ) and/or Han numerals at i,
// with a following 万/千/百/亿 multiplier. scaled reports a multiplier.
func readNumber(s string, i int) (v float64, end int, scaled, ok bool) {
	j := i
	if isDigit(s[j]) {
		for j < len(s) && (isDigit(s[j]) || s[j] == '.' && j+1 < len(s) && isDigit(s[j+1]) || s[j] == ',' && thousands(s[j+1:])) {
			j++
		}
		// a digit run glued to letters ("q3", "b2b") or a time (10:30) is not an amount
		if i > 0 && isASCIIAlnum(s[i-1]) {
			return 0, j, false, false
		}
		if j+1 < len(s) && s[j] == ':' && isDigit(s[j+1]) {
			for j++; j < len(s) && isDigit(s[j]); j++ {
			}
			return 0, j, false, false
		}
		f, err := strconv.ParseFloat(strings.ReplaceAll(s[i:j], ",", ""), 64)
		if err != nil {
			return 0, j, false, false
		}
		v = f
		// 3万, 2.5万元, 5千
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			m := hanMultiplier(r)
			if m == 0 {
				break
			}
			v *= m
			scaled = true
			j += n
		}
		return v, j, scaled, true
	}
	prevDigit, unit := false, false
	for j < len(s) {
		r, n := utf8.DecodeRuneInString(s[j:])
		if !isHanNumeral(r) {
			break
		}
		_, digit := hanDigit(r)
		if digit && prevDigit && unit {
			// 三百三十六一个月: a number with units ends at its last digit;
			// the next 一 begins "一个月" (二零二六 has no units).
			break
		}
		prevDigit, unit = digit, unit || !digit
		j += n
	}
	v, scaled = hanNumber(s[i:j])
	if v < 2 { // 一块 (one piece, together), 一下

		return 0, j, false, false
	}
	return v, j, scaled, true
}

// thousands reports whether s, after a comma, goes on with a group of
// exactly three digits: 29,800 is one number, "29800,20个人" two.
func thousands(s string) bool {
	return len(s) >= 3 && isDigit(s[0]) && isDigit(s[1]) && isDigit(s[2]) && (len(s) == 3 || !isDigit(s[3]))
}

func hanMultiplier(r rune) float64 {
	switch r {
	case '百':
		return 100
	case '千':
		return 1000
	case '万':
		return 1e4
	case '亿':
		return 1e8
	}
	return 0
}

func hanDigit(r rune) (int, bool) {
	if i := strings.IndexRune("零一二三四五六七八九", r); i >= 0 {
		return utf8.RuneCountInString("零一二三四五六七八九"[:i]), true
	}
	switch r {
	case '〇':
		return 0, true
	case '两':
		return 2, true
	}
	return 0, false
}

// hanNumber evaluates a run of Chinese numerals: 三万 30000, 一千二百二十五
// 1225, 两万五 25000 (a bare digit after a unit is a tenth of it: 三千六
// 3600).
func hanNumber(s string) (v float64, scaled bool) {
	var total, section float64
	digit, lastUnit := -1, 0.0
	for _, r := range s {
		if d, ok := hanDigit(r); ok {
			digit = d
			continue
		}
		switch r {
		case '十', '百', '千':
			u := map[rune]float64{'十': 10, '百': 100, '千': 1000}[r]
			d := digit
			if d < 0 {
				d = 1
			}
			section += float64(d) * u
			digit, lastUnit = -1, u
			if u >= 1000 {
				scaled = true
			}
		case '万', '亿':
			u := hanMultiplier(r)
			if digit > 0 {
				section += float64(digit)
			}
			total += section * u
			section, digit, lastUnit = 0, -1, u
			scaled = true
		}
	}
	if digit > 0 {
		if lastUnit >= 100 && !strings.HasSuffix(s, "零") {
			section += float64(digit) * lastUnit / 10
		} else {
			section += float64(digit)
		}
	}
	return total + section, scaled
}

func hasCurrencyBefore(before string) bool {
	for _, p := range []string{"$", "£", "€", "¥", "usd", "rmb", "us$"} {
		if strings.HasSuffix(before, p) {
			return true
		}
	}
	return false
}

func hasCurrencyAfter(after string) bool {
	for _, p := range []string{"元", "块", "美元", "美金", "人民币", "dollar", "buck", "quid", "usd", "rmb", "yuan", "euro", "pound", "grand", "刀"} {
		if strings.HasPrefix(after, p) {
			if isASCIIWord(p) && len(after) > len(p) && alnumByteAt(after, len(p)) && after[len(p)] != 's' {
				continue
			}
			return true
		}
	}
	return false
}

// kSuffix reports a "k" or "K" thousand suffix ("5k", "5 k") and its length.
func kSuffix(after string) (int, bool) {
	if strings.HasPrefix(after, "k") && !alnumByteAt(after, 1) {
		return 1, true
	}
	return 0, false
}

// otherUnitAfter reports a unit that makes a number something other than
// money, also after a word of approximation ("二十来桶", "三十多人",
// "百余家", "20-odd staff").
func otherUnitAfter(after string) bool {
	for _, approx := range []string{"来", "多", "余", "几", "-odd ", " odd ", " or so "} {
		if rest, ok := strings.CutPrefix(after, approx); ok && rest != "" && otherUnitAfter(rest) {
			return true
		}
	}
	for _, p := range []string{"%", "percent", "day", "week", "month", "year", "minute", "min", "hour", "hr",
		"second", "sec", "seat", "user", "rep", "people", "person", "staff", "call", "time", "am", "pm",
		"st", "nd", "rd", "th", "x", "employee", "vehicle", "van", "school", "compan", "team", "client",
		"customer", "office", "location", "cup", "session", "module", "licen", "job", "board", "lead",
		"deal", "store", "machine", "printer", "account", "o'clock", "mile", "km", "point",
		"人", "个", "位", "天", "周", "月", "年", "号", "日", "点", "分", "次", "家", "台", "折", "成",
		"期", "倍", "条", "套", "间", "款", "岁", "小时", "秒", "层", "多家", "名", "道", "支", "单", "通", "遍", "份", "张", "件", "辆", "季", "礼拜", "星期",
		"桶", "瓶", "箱", "包", "袋", "盒", "罐", "斤", "公斤", "吨", "米", "平", "方", "只", "头", "棵", "亩"} {
		if strings.HasPrefix(after, p) {
			if len(p) <= 2 && isASCIIWord(p) && alnumByteAt(after, len(p)) {
				continue // "5th" and "10 am", not "7,000 then" or "20 x" inside a word
			}
			return true
		}
	}
	return false
}

// countsNoun reports whether a plain number counts something: an English
// word follows it that is not one of those a price is followed by ("300
// if you switch", "480 a month", "9,800 per year", "500 upfront"). "24
// bottles" counts bottles; it is no price.
func countsNoun(after string) bool {
	w := after
	if i := strings.IndexFunc(w, func(r rune) bool { return !(r >= 'a' && r <= 'z') }); i >= 0 {
		w = w[:i]
	}
	if w == "" {
		return false
	}
	switch w {
	case "a", "an", "per", "each", "every", "if", "and", "or", "but", "for", "to", "with", "total", "all", "flat",
		"net", "plus", "only", "up", "off", "including", "incl", "inc", "now", "today", "upfront", "down", "this",
		"that", "the", "which", "so", "then", "instead", "rather", "is", "would", "will", "monthly", "yearly",
		"annually", "weekly", "in", "on", "at", "as", "after", "before", "when", "once", "from", "max", "tops",
		"or so", "ish", "k", "m", "you", "we", "it", "there", "right", "okay", "ok", "sound", "sounds", "work", "works":
		return false
	}
	return true
}

// isDateBefore reports a month or weekday word before a number ("march 1", "q3").
func isDateBefore(before string) bool {
	for _, p := range []string{"january", "february", "march", "april", "may", "june", "july", "august",
		"september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
		"sep", "sept", "oct", "nov", "dec", "the", "at", "by", "on", "第", "周", "星期", "礼拜", "q"} {
		if strings.HasSuffix(before, p) {
			return true
		}
	}
	return false
}
