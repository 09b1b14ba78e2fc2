package sim

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
		{"十二万", false, 120000, true},
		{"£2.50 a cup", false, 2.5, true},
		{"50 bucks", false, 50, true},
		{"15% off", true, 0, false},
		{"march 1", true, 0, false},
		{"10:30", true, 0, false},
		{"负责哪一块", true, 0, false},
	}
	for _, tt := range tests {
		got, ok := parseAmount(tt.norm, tt.priceCtx)
		if ok != tt.ok || math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("parseAmount(%q, %v) = %v, %v; want %v, %v", tt.norm, tt.priceCtx, got, ok, tt.want, tt.ok)
		}
	}
}
