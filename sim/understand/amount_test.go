package understand

import (
	"math"
	"testing"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		norm     string
		priceCtx bool
		want     float64
		ok       bool
	}{
		{"5000", true, 5000, true},
		{"5000", false, 0, false},
		{"5,000", true, 5000, true},
		{"$5k", false, 5000, true},
		{"5k", false, 5000, true},
		{"3万", false, 30000, true},
		{"三万", false, 30000, true},
		{"2.5万元", false, 25000, true},
		{"八千", false, 8000, true},
		{"29800元", false, 29800, true},
		{"三千六", false, 3600, true},
		{"一万二", false, 12000, true},
		{"四十九块", false, 49, true},
		{"九十九", true, 99, true},
		{"三百三十六一个月", true, 336, true},
		{"价格是29800,20个人以内都包含.", true, 29800, true},
		{"fine, 7,000 then.", true, 7000, true},
		{"on the 5th", true, 0, false},
		{"at 10 am", true, 0, false},
		{"29,800,000 yuan", false, 29800000, true},
		{"四百八一个月", true, 480, true},
		{"两百五,第一个月还免费", true, 250, true},
		{"十二万", false, 120000, true},
		{"£2.50 a cup", false, 2.5, true},
		{"50 bucks", false, 50, true},
		{"15% off", true, 0, false},
		{"march 1", true, 0, false},
		{"10:30", true, 0, false},
		{"负责哪一块", true, 0, false},
		// several amounts: the offer, not the reference price
		{"normally it's 29,800 yuan, but for you i'll knock it down to 21,000 if we sign today.", true, 21000, true},
		{"normally it's 29,800, but i'll do it for 21,000 if you sign today.", true, 21000, true},
		{"for you i'll do 21,000 yuan instead of 29,800 if we sign today.", true, 21000, true},
		{"list price is $12,000, for you $9,500", true, 9500, true},
		{"原价29800元,今天给您21000", true, 21000, true},
		{"平时卖两万九,这个月只要两万一", true, 21000, true},
		{"别家要三万,我们两万五", true, 25000, true},
		{"it's 5,000 for the basic and 8,000 for premium", true, 5000, true},
		{"it was 29,800", true, 29800, true},
		{"the plan is 480 yuan a month for 24 bottles", true, 480, true},
		// a count with a word of approximation before its unit
		{"一个月二十来桶,量不小", true, 0, false},
		{"我们三十多人的团队", true, 0, false},
		{"百余家门店", true, 0, false},
		{"we have 20-odd staff", true, 0, false},
		{"一个月三千多块", true, 3000, true},
	}
	for _, tt := range tests {
		got, ok := parseAmount(tt.norm, tt.priceCtx)
		if ok != tt.ok || math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("parseAmount(%q, %v) = %v, %v; want %v, %v", tt.norm, tt.priceCtx, got, ok, tt.want, tt.ok)
		}
	}
}
