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
