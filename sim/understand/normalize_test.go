package understand

import "testing"

func TestNormalize(t *testing.T) {
	c := mustClassifier(t)
	tests := []struct{ in, want string }{
		{"  Hello   WORLD ", "hello world"},
		{"這個價格已經是最優惠的了", "这个价格已经是最优惠的了"},
		{"銷售培訓 第一講 里程碑", "销售培训 第一讲 里程碑"},
		{"你好，请问？", "你好,请问?"},
		{"ＡＢＣ１２３", "abc123"},
		{"don’t", "don't"},
		{"a\tb\nc", "a b c"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := c.Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
	// every traditional character of the lecture's key terms folds
	for _, s := range []string{"里程碑的三個含義", "電話銷售人員", "認可價格和時間", "挖需求", "要承諾", "急迫動機"} {
		for _, r := range c.Normalize(s) {
			if r >= foldLo && r <= foldHi && c.fold[r-foldLo] != 0 {
				t.Errorf("Normalize(%q) keeps traditional %q", s, r)
			}
		}
	}
}

// TestNormalizeTraditional folds whole lines as trainees in Taiwan and Hong
// Kong write them, variant characters included, to simplified Chinese.
// Cantonese characters with no simplified form (哋, 嘅, 喺) stay.
func TestNormalizeTraditional(t *testing.T) {
	c := mustClassifier(t)
	tests := []struct{ name, in, want string }{
		{"tw greeting", "您好，請問您現在方便講電話嗎？", "您好,请问您现在方便讲电话吗?"},
		{"tw price", "這個價格已經含稅了，裡面也包括安裝費用。", "这个价格已经含税了,里面也包括安装费用."},
		{"tw budget", "老闆說預算只夠買一套軟體", "老板说预算只够买一套软体"},
		{"tw variants", "為什麼您會這樣覺得？我們的系統著重於資料安全", "为什么您会这样觉得?我们的系统着重于资料安全"},
		{"tw wait", "這件事如果一直拖著，會有什麼影響？", "这件事如果一直拖着,会有什么影响?"},
		{"tw start", "我們下個月纔開始，先啓動試用", "我们下个月才开始,先启动试用"},
		{"tw ambiguous", "剛洗完頭髮還沒乾，之後隻身去吃麵", "刚洗完头发还没干,之后只身去吃面"},
		{"hk situation", "你哋而家用緊咩系統呀？", "你哋而家用紧咩系统呀?"},
		{"hk price", "我哋嘅方案係按月收費，唔使簽長約。", "我哋嘅方案系按月收费,唔使签长约."},
		{"hk variants", "你頭先説嘅折扣，衞生間裝修都包埋？", "你头先说嘅折扣,卫生间装修都包埋?"},
		{"hk meeting", "下星期三上午十點喺你公司開會得唔得？", "下星期三上午十点喺你公司开会得唔得?"},
		{"hk kitchen", "廚房嘅儲物櫃同牀，審批完先至訂", "厨房嘅储物柜同床,审批完先至订"},
		{"full width", "ＣＲＭ系統多少錢一個月？", "crm系统多少钱一个月?"},
		{"simplified stays", "什么时候方便？我们后天再聊，干脆只谈价格", "什么时候方便?我们后天再聊,干脆只谈价格"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

func BenchmarkNormalize(b *testing.B) {
	c := newLexReader()
	for _, bc := range []struct{ name, line string }{
		{"en", "Hi, this is Li from Acme, do you have two minutes? I wanted to ask how you handle follow-ups today."},
		{"zh", "您好，我是易销的小李，耽误您两分钟可以吗？想了解一下贵公司现在是怎么跟进客户的。"},
		{"zh-traditional", "如果這個問題不解決，每拖一個月大概會損失多少錢？"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.line)))
			for b.Loop() {
				c.Normalize(bc.line)
			}
		})
	}
}

func TestMentions(t *testing.T) {
	c := mustClassifier(t)
	tests := []struct {
		text  string
		words []string
		want  bool
	}{
		{"We need to hit our target next month", []string{"target"}, true},
		{"We need to hit our targets", []string{"target"}, false},
		{"Our design team", []string{"sign"}, false},
		{"sales target raised 30%", []string{"Sales Target"}, true},
		{"老闆要求下個月見效果", []string{"老板"}, true},
		{"业绩目标提高了", []string{"業績"}, true},
		{"nothing here", []string{"", "x"}, false},
		{"crm系统", []string{"CRM"}, true}, // a Han character is a boundary
		{"scrm系统", []string{"CRM"}, false},
	}
	for _, tt := range tests {
		if got := c.Mentions(c.Normalize(tt.text), tt.words); got != tt.want {
			t.Errorf("Mentions(%q, %q) = %v; want %v", tt.text, tt.words, got, tt.want)
		}
	}
}
