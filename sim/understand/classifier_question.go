package understand

// contentTokens counts the words and Han characters of sentence sent.
func (c *lexReader) contentTokens(toks []token, sent int32) int {
	n, si := 0, int32(0)
	for _, t := range toks {
		if t.kind == tkSent {
			si++
			continue
		}
		if si == sent && !t.isBreak() {
			n++
		}
	}
	return n
}

// sentenceStart reports whether toks[i] starts a sentence, not counting
// fillers and clause breaks.
func (c *lexReader) sentenceStart(toks []token, i int) bool {
	for j := i - 1; j >= 0; j-- {
		if toks[j].kind == tkSent {
			return true
		}
		if !toks[j].isBreak() && c.words[toks[j].s]&wcFiller == 0 {
			return false
		}
	}
	return true
}

// clauseStart reports whether toks[i] starts a clause, not counting fillers.
func (c *lexReader) clauseStart(toks []token, i int) bool {
	for j := i - 1; j >= 0; j-- {
		if toks[j].isBreak() {
			return true
		}
		if c.words[toks[j].s]&wcFiller == 0 {
			return false
		}
	}
	return true
}

// question reports whether sentence sent is a question, and whether it asks
// with a question word (what, how, 什么, 几…) rather than for yes or no.
func (c *lexReader) question(toks []token, sent int32, bits uint64) (q, wh bool) {
	if has(bits, fTag, fAsk) {
		q = true
	}
	si := int32(0)
	start := true // at a clause start, fillers skipped
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if si != sent {
			if t.kind == tkSent {
				si++
			}
			continue
		}
		if t.isBreak() {
			if t.s == "?" {
				q = true
			}
			if t.kind == tkSent {
				break
			}
			start = true
			continue
		}
		switch t.kind {
		case tkWord:
			if !start {
				continue
			}
			cls := c.words[t.s]
			next := ""
			if i+1 < len(toks) {
				next = toks[i+1].s
			}
			nc := c.words[next]
			switch {
			case cls&wcWh != 0:
				if c.whAsks(toks, i) {
					q, wh = true, true
				}
			case cls&wcAux != 0:
				q = true
			case cls&wcAuxSubj != 0 && nc&wcSubj != 0:
				q = true
			}
			if cls&wcFiller == 0 {
				start = false
			}
		case tkHan, tkNum:
			start = false
			if hq, hwh := hanQuestion(toks, i); hq {
				q = true
				wh = wh || hwh
			}
		}
	}
	return q, wh
}

// whAsks reports whether the question word toks[i], at a clause start,
// asks a question: "how we work" does not, nor "when someone leaves, …",
// a when or where clause about someone that the sentence goes on from (a
// question mark still makes the sentence a question).
func (c *lexReader) whAsks(toks []token, i int) bool {
	if i+1 >= len(toks) || toks[i+1].isBreak() {
		return true
	}
	next := toks[i+1].s
	if next == "we" || next == "i" {
		return false
	}
	if s := toks[i].s; s != "when" && s != "where" || c.words[next]&(wcAux|wcAuxSubj) != 0 ||
		c.words[next]&wcSubj == 0 && next != "a" && next != "an" && next != "people" {
		return true
	}
	for _, t := range toks[i+1:] {
		switch t.kind {
		case tkClause:
			return false
		case tkSent:
			return true
		}
	}
	return true
}

// hanQuestion reports whether the Han token toks[i] marks a question, and
// whether it is a question word.
func hanQuestion(toks []token, i int) (q, wh bool) {
	s := toks[i].s
	prev := func(k int) string {
		if i-k >= 0 && !toks[i-k].isBreak() {
			return toks[i-k].s
		}
		return ""
	}
	next := func(k int) string {
		if i+k < len(toks) && !toks[i+k].isBreak() {
			return toks[i+k].s
		}
		return ""
	}
	// negBefore: 不是要推销什么 and 没什么 are statements; 如果不解决会怎样
	// and 有没有什么 still ask.
	negBefore := func() bool {
		for k := 1; k <= 6; k++ {
			switch prev(k) {
			case "不", "没", "别":
				p := prev(k + 1)
				if p == "果" || p == "是" && prev(k+2) == "要" || p != "" && p == prev(k-1) {
					return false
				}
				return true
			case "会", "":
				return false
			}
		}
		return false
	}
	// any: 谁都没空, 什么都行, 哪儿都一样 say "anyone, anything, anywhere"
	any := func(k int) bool { return next(k) == "都" || next(k) == "也" }
	// shown: 手机上就能看每天发了多少电 describes what the customer can see
	shown := func() bool {
		for k := 1; k <= 6; k++ {
			switch prev(k) {
			case "看", "查", "显示", "知道":
				switch prev(k + 1) {
				case "能", "以", "就", "随", "会", "都":
					return true
				}
			case "":
				return false
			}
		}
		return false
	}
	// reported: 想了解下你们员工吃饭咋解决的, 想请教下布草是咋洗的
	reported := func() bool {
		for k := 1; k <= 8; k++ {
			switch p, pp := prev(k), prev(k+1); {
			case p == "":
				return false
			case p == "解" && pp == "了", p == "教" && pp == "请", p == "问" && (pp == "想" || pp == "问"):
				return true
			}
		}
		return false
	}
	// weShow: 我先说一下我们怎么解决, 给您演示我们是怎么做的 tell how we
	// work; 我们怎么合作呢 still asks
	weShow := func() bool {
		k := 1
		if prev(k) == "是" {
			k++
		}
		switch {
		case prev(k) == "们" && prev(k+1) == "我":
			k += 2
		case prev(k) == "我":
			k++
		default:
			return false
		}
		for ; k <= 12; k++ {
			switch prev(k) {
			case "":
				return false
			case "说", "讲", "绍", "示", "诉", "享":
				return true
			}
		}
		return false
	}
	switch s {
	case "吗":
		return true, false
	case "呢":
		return next(1) == "", false
	case "什", "怎", "啥", "咋":
		switch prev(1) {
		case "讲", "教", "学", "知", "道", "看", "懂":
			return false, false // indirect: 主要讲怎么挖需求
		}
		// 这就是为什么 / 这也是为什么 explains, it does not ask
		if negBefore() || next(1) == "么" && (next(2) == "的" || any(2)) || s == "啥" && any(1) || shown() || reported() || weShow() ||
			s == "什" && prev(1) == "为" && prev(2) == "是" && (prev(3) == "也" || prev(3) == "就" || prev(3) == "这") {
			return false, false
		}
		return true, true
	case "哪":
		q := next(1) != "怕" && !any(1) && !((next(1) == "儿" || next(1) == "里") && any(2))
		return q, q
	case "谁":
		q := !negBefore() && !any(1)
		return q, q
	case "几":
		switch prev(1) {
		case "好", "这", "那", "前", "过", "没", "一", "十":
			return false, false
		case "和", "跟", "及", "把", "发", "给", "带", "拿", "举", "找":
			return false, false // 发您几个案例: a few
		}
		switch next(1) {
		case "分", "句", "位", "十", "百", "千", "万":
			return false, false
		case "个":
			if next(2) == "问" || next(2) == "小" {
				return false, false
			}
		}
		return true, true
	case "多":
		switch next(1) {
		case "少", "大", "久", "长", "高", "远":
			q := !negBefore() && !shown()
			return q, q
		}
	case "是":
		q := next(1) == "否"
		return q, q
	case "如":
		q := next(1) == "何"
		return q, q
	case "不", "没":
		// A不A, A没A: 好不好, 满不满意, 有没有
		if p := prev(1); p != "" && p == next(1) {
			return true, false
		}
	}
	return false, false
}
