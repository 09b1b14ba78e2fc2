package understand

import (
	"runtime"
	"testing"

	"github.com/callsim/callsim/sim"
)

var benchLines = []struct {
	name string
	line string
}{
	{"en", "Hi, this is Li from Acme, do you have two minutes? I wanted to ask how you handle follow-ups today."},
	{"en-short", "how bout tmrw at 10"},
	{"zh", "您好，我是易销的小李，耽误您两分钟可以吗？想了解一下贵公司现在是怎么跟进客户的。"},
	{"zh-traditional", "如果這個問題不解決，每拖一個月大概會損失多少錢？"},
}

// BenchmarkUnderstand is the ear's whole reading of a line: lexical reader,
// stems, concepts and the model.
func BenchmarkUnderstand(b *testing.B) {
	e := MustNew()
	for _, bc := range benchLines {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				e.Understand(bc.line, sim.LangAuto)
			}
		})
	}
}

// BenchmarkNewEar is the ear's start-up: lexicons compiled, model and
// concepts loaded. It also reports the heap the ear keeps (heap-B).
func BenchmarkNewEar(b *testing.B) {
	b.ReportAllocs()
	var keep *Ear
	for b.Loop() {
		keep = MustNew()
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	keep = MustNew()
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc)-float64(before.HeapAlloc), "heap-B")
	runtime.KeepAlive(keep)
}
