package voiceguard

import (
	"fmt"
	"unicode"

	"github.com/callsim/callsim/sim"
)

// scripts counts what a text is written in: Han characters, Latin words,
// and letters of any other script (kana, hangul, Cyrillic…).
type scripts struct{ han, latin, other int }

func scriptsOf(s string) scripts {
	var c scripts
	inWord := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			c.han++
			inWord = false
		case isLatin(r):
			if !inWord {
				c.latin++
			}
			inWord = true
		case unicode.IsLetter(r):
			c.other++
			inWord = false
		case r == '\'' || r == '’' || unicode.IsDigit(r):
			// inside a word: don't, 3rd
		default:
			inWord = false
		}
	}
	return c
}

// scriptLang guesses a line's language from its script.
func scriptLang(s string) sim.Lang {
	if scriptsOf(s).han > 0 {
		return sim.LangZH
	}
	return sim.LangEN
}

// wrongLanguage says why voicing is not in lang, or "". The engine's line
// sets what mix is allowed: a Chinese line may name a product in Latin
// letters, and then so may its voicing.
func wrongLanguage(voicing, line string, lang sim.Lang) string {
	v, l := scriptsOf(voicing), scriptsOf(line)
	if v.other > l.other {
		return fmt.Sprintf("%d letters of another script", v.other)
	}
	if lang == sim.LangZH {
		if v.han == 0 {
			return "no Chinese in a Chinese call"
		}
		if extra := v.latin - l.latin; extra > 0 && 2*extra > v.han {
			return fmt.Sprintf("%d Latin words beside %d Chinese characters", v.latin, v.han)
		}
		return ""
	}
	if v.han > l.han {
		return fmt.Sprintf("%d Chinese characters in an English call", v.han)
	}
	return ""
}
