package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The browser tests run axe-core (the npm package axe-core, the engine of
// Deque's accessibility checker) on every screen they visit, on a desktop
// and on a phone, in both languages, and fail on any serious or critical
// violation. .ci/run installs it; locally:
//
//	npm install --prefix .ci/npm --no-save axe-core@4
//
// or point $CALLSIM_AXE at an axe.min.js.

// axeDefault is where .ci/run installs axe-core, from this package's
// directory.
var axeDefault = filepath.Join("..", "..", ".ci", "npm", "node_modules", "axe-core", "axe.min.js")

var axeLoad struct {
	once sync.Once
	src  string
	path string
	err  error
}

// axeSource returns the source of axe.min.js, or "" when it is not
// installed (which fails the test on CI).
func axeSource(t *testing.T) string {
	t.Helper()
	axeLoad.once.Do(func() {
		axeLoad.path = os.Getenv("CALLSIM_AXE")
		if axeLoad.path == "" {
			axeLoad.path = axeDefault
		}
		b, err := os.ReadFile(axeLoad.path)
		axeLoad.src, axeLoad.err = string(b), err
	})
	if axeLoad.err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("axe-core: %v (.ci/run installs it)", axeLoad.err)
		}
		return ""
	}
	return axeLoad.src
}

// axeViolation is one axe rule a page breaks, with the first elements.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
	Count  int      `json:"count"`
}

// axeRun is one screen's result, for the summary.
type axeRun struct {
	screen     string
	violations []axeViolation
}

// axeLog collects the results of a browser test's runs.
type axeLog struct {
	mu   sync.Mutex
	runs []axeRun
	took time.Duration
}

// serious reports whether an impact fails the test.
func serious(impact string) bool { return impact == "serious" || impact == "critical" }

// axe runs axe-core on the page as it is and fails the test on serious and
// critical violations. screen names what is checked, with the size and the
// language.
func (tb *tab) axe(screen string) {
	tb.t.Helper()
	src := axeSource(tb.t)
	if src == "" {
		return
	}
	t0 := time.Now()
	if !eval[bool](tb, `typeof window.axe === "object" && typeof window.axe.run === "function"`) {
		tb.do("inject axe-core", chromedp.Evaluate[chromedp.Void](src))
	}
	// Toasts come and go; they are checked where they stay (none do).
	const run = `document.querySelectorAll(".toast").forEach((e) => e.remove()),
		axe.run(document, {resultTypes: ["violations"]}).then((r) => r.violations.map((v) => ({
			id: v.id, impact: v.impact || "", help: v.help, count: v.nodes.length,
			nodes: v.nodes.slice(0, 4).map((n) => n.target.join(" ") + (n.failureSummary ? " — " + n.failureSummary.replace(/\s+/g, " ").slice(0, 220) : "")),
		})))`
	ctx, cancel := tb.timeout()
	defer cancel()
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](run, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("%s: axe on %s: %v", tb.name, screen, err)
	}
	tb.b.axe.mu.Lock()
	tb.b.axe.runs = append(tb.b.axe.runs, axeRun{screen: screen, violations: vs})
	tb.b.axe.took += time.Since(t0)
	tb.b.axe.mu.Unlock()
	for _, v := range vs {
		if serious(v.Impact) {
			tb.t.Errorf("axe, %s: %s (%s, %d elements): %s\n  %s", screen, v.ID, v.Impact, v.Count, v.Help, strings.Join(v.Nodes, "\n  "))
		}
	}
}

// summary is one line per screen checked: how many violations of each
// impact, with the rules.
func (l *axeLog) summary() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	total := map[string]int{}
	for _, r := range l.runs {
		by := map[string][]string{}
		for _, v := range r.violations {
			by[v.Impact] = append(by[v.Impact], fmt.Sprintf("%s×%d", v.ID, v.Count))
			total[v.Impact]++
		}
		var parts []string
		for _, imp := range []string{"critical", "serious", "moderate", "minor"} {
			if len(by[imp]) > 0 {
				parts = append(parts, imp+": "+strings.Join(by[imp], ", "))
			}
		}
		if len(parts) == 0 {
			parts = []string{"no violations"}
		}
		fmt.Fprintf(&b, "  %-34s %s\n", r.screen, strings.Join(parts, "; "))
	}
	imps := make([]string, 0, len(total))
	for k := range total {
		imps = append(imps, k)
	}
	sort.Strings(imps)
	var tot []string
	for _, k := range imps {
		tot = append(tot, fmt.Sprintf("%s %d", k, total[k]))
	}
	if len(tot) == 0 {
		tot = []string{"none"}
	}
	fmt.Fprintf(&b, "  %d screens checked in %v; rule violations by impact: %s", len(l.runs), l.took.Round(time.Millisecond), strings.Join(tot, ", "))
	return b.String()
}

// screens lists the screens checked, to compare with the ones wanted.
func (l *axeLog) screens() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]string, 0, len(l.runs))
	for _, r := range l.runs {
		out = append(out, r.screen)
	}
	slices.Sort(out)
	return out
}
