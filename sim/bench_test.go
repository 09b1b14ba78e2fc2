package sim_test

import (
	"runtime"
	"testing"

	. "github.com/callsim/callsim/sim"
)

// benchLines is a realistic deal: the lines of a full two-call deal.
func benchLines(lang Lang) []string {
	l := lines[lang]
	return []string{l["open"], l["rapport"], l["situation"], l["problem"], l["whynow"], l["summary"],
		l["pitch"], l["case"], l["price_high"], l["price"], l["time"], l["boss"], l["close"]}
}

// BenchmarkTurn measures one full turn: classify, step the engine, pick the
// reply and rebuild the scorecard (which the server stores after every turn).
func BenchmarkTurn(b *testing.B) {
	for _, lang := range langs {
		b.Run(string(lang), func(b *testing.B) {
			ls := benchLines(lang)
			cat := fixtureCatalog(b)
			p, sc, _ := cat.Persona("fx-objections")
			cls := testEar()
			cfg := DealConfig{Seed: 3, Lang: lang, Rules: DefaultRules(), Weights: DefaultWeights()}
			cfg.Rules.MaxTurns = 1 << 30
			p = patient(p)
			var d *Deal
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if i%len(ls) == 0 {
					b.StopTimer()
					var err error
					if d, err = NewDeal(cls, p, sc, cfg); err != nil {
						b.Fatal(err)
					}
					d.Dial(MilestoneNeed)
					b.StartTimer()
				}
				if !d.InCall() {
					b.StopTimer()
					d.Dial(MilestoneDeal)
					b.StartTimer()
				}
				if _, err := d.Say(ls[i%len(ls)]); err != nil {
					b.Fatal(err)
				}
				// What the server stores with a turn: the deal's summary (the
				// whole scorecard is built when a call ends).
				_ = d.Summary()
			}
		})
	}
}

// patient returns a copy of p that never runs out of patience.
func patient(p *Persona) *Persona {
	cp := *p
	cp.Hidden.Patience = 1 << 20
	return &cp
}

// liveDealBytes measures the heap a deal holds after a long call.
func liveDealBytes(tb testing.TB, lang Lang, turns int) float64 {
	tb.Helper()
	cat := fixtureCatalog(tb)
	p, sc, _ := cat.Persona("fx-objections")
	cls := testEar()
	cfg := DealConfig{Seed: 3, Lang: lang, Rules: DefaultRules(), Weights: DefaultWeights()}
	p = patient(p)
	cfg.Rules.MaxTurns = turns + 1
	ls := benchLines(lang)
	ls = ls[:len(ls)-1] // no goodbye: the call stays live
	const n = 50
	deals := make([]*Deal, n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range deals {
		d, err := NewDeal(cls, p, sc, cfg)
		if err != nil {
			tb.Fatal(err)
		}
		d.Dial(MilestoneNeed)
		for j := 0; j < turns; j++ {
			d.Say(ls[j%len(ls)])
		}
		deals[i] = d
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(deals)
	return float64(after.HeapAlloc-before.HeapAlloc) / n
}

// A live deal at the longest call the default rules allow holds at most
// 64 KiB (the persona and scenario are shared, not counted).
func TestLiveDealMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("measures the heap")
	}
	for _, lang := range langs {
		got := liveDealBytes(t, lang, DefaultRules().MaxTurns)
		t.Logf("%s: a live deal after %d turns holds %.0f bytes", lang, DefaultRules().MaxTurns, got)
		if got > 64<<10 {
			t.Errorf("%s: a live deal holds %.0f bytes; want at most 65536", lang, got)
		}
	}
}

// BenchmarkLiveDeal reports the bytes a live deal holds after 40 turns.
func BenchmarkLiveDeal(b *testing.B) {
	for _, lang := range langs {
		b.Run(string(lang), func(b *testing.B) {
			var got float64
			for i := 0; i < b.N; i++ {
				got = liveDealBytes(b, lang, DefaultRules().MaxTurns)
			}
			b.ReportMetric(got, "bytes/deal")
		})
	}
}

// BenchmarkScorecard builds the whole scorecard of a deal after a long
// call, as the server does when a call ends, and its summary, as after
// every turn.
func BenchmarkScorecard(b *testing.B) {
	for _, lang := range langs {
		ls := benchLines(lang)
		cat := fixtureCatalog(b)
		p, sc, _ := cat.Persona("fx-objections")
		cfg := DealConfig{Seed: 3, Lang: lang, Rules: DefaultRules(), Weights: DefaultWeights()}
		d, err := NewDeal(testEar(), patient(p), sc, cfg)
		if err != nil {
			b.Fatal(err)
		}
		d.Dial(MilestoneNeed)
		for i := 0; i < 36 && d.InCall(); i++ {
			d.Say(ls[i%len(ls)])
		}
		b.Run(string(lang)+"/scorecard", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = d.Scorecard()
			}
		})
		b.Run(string(lang)+"/summary", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = d.Summary()
			}
		})
	}
}
