package main

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/callsim/callsim/personas"
	"github.com/callsim/callsim/sim"
	"github.com/callsim/callsim/sim/sqlite"
	"github.com/callsim/callsim/sim/understand"
	"github.com/callsim/callsim/sim/yaml"
)

// The browser tests drive Debian's Chromium (headless) through the real
// server: a trainee runs a deal to a signed deal and sees the scorecard, a
// coach finds it in the funnel, comments on a turn and overrides the score,
// and another trainee is refused the deal's address. After every kind of
// call end (the trainee hangs up, the customer hangs up, the deal is ended
// mid-call) the last lines must be in view with the verdict under them. Every
// screen is checked with axe-core (axe_test.go) on a desktop and a phone, in
// English and Chinese. They save screenshots of the practice room, the end
// of a call, the verdict, the scorecard and the coach's desk.

const chromiumPath = "/usr/bin/chromium"

// browserPassword is every browser-test user's password.
const browserPassword = "browser-pass-1"

// browserSeed is the customer's seed, the one the serve tests use with
// e2eCall1 and e2eCall2: with it those lines close a deal over two calls.
const browserSeed = 1

// screenshotDir is where the tests save their screenshots:
// $CALLSIM_SCREENSHOTS, else artifacts/screenshots at the repository root.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("CALLSIM_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join("..", "..", "artifacts", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("screenshot dir: %v", err)
	}
	return dir
}

// mustChromium returns the path of Chromium, skipping the test when it is
// missing (but failing on CI, which installs it).
func mustChromium(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("chromium not found at %s: .ci/run installs it on CI", chromiumPath)
		}
		t.Skipf("chromium not found at %s (apt-get install chromium)", chromiumPath)
	}
	return chromiumPath
}

// browser is one headless Chromium with its own profile; each user gets a
// tab in a separate browser context, so cookies are not shared.
type browser struct {
	t     *testing.T
	alloc context.Context
	root  context.Context
	base  string
	shots string
	axe   axeLog
}

func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	path := mustChromium(t)
	alloc, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 900),
	)
	t.Cleanup(cancel)
	root, cancelRoot := chromedp.NewContext(alloc)
	t.Cleanup(cancelRoot)
	if err := chromedp.Do(root); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return &browser{t: t, alloc: alloc, root: root, base: base, shots: screenshotDir(t)}
}

// tab is one user's page.
type tab struct {
	t    *testing.T
	b    *browser
	ctx  context.Context
	name string
}

// newTab opens a tab in a fresh browser context (its own cookies and
// storage), with the interface in lang.
func (b *browser) newTab(name, lang string) *tab {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.root, chromedp.WithNewBrowserContext())
	b.t.Cleanup(cancel)
	// The first run opens the tab and ties it to ctx: no timeout here.
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("open a tab for %s: %v", name, err)
	}
	tb := &tab{t: b.t, b: b, ctx: ctx, name: name}
	tb.do("open the page",
		chromedp.EmulateViewport(1366, 900),
		chromedp.Navigate(b.base+"#/login"),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`localStorage.setItem("callsim.lang", %q)`, lang)),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS("#username")),
	)
	return tb
}

// timeout is the tab's context for one step.
func (tb *tab) timeout() (context.Context, context.CancelFunc) {
	return context.WithTimeout(tb.ctx, 15*time.Second)
}

// do runs steps with a timeout and fails the test with a screenshot of the
// page when they do not complete.
func (tb *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	t0 := time.Now()
	ctx, cancel := tb.timeout()
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.shot("FAILED-" + tb.name)
		ectx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
		defer cancel()
		text, _ := chromedp.Run(ectx, chromedp.Evaluate[string](`document.querySelector("main") ? document.querySelector("main").innerText.slice(0, 1500) : document.body.innerText.slice(0, 1500)`))
		tb.t.Fatalf("%s: %s: %v\npage text:\n%s", tb.name, what, err, text)
	}
	if testing.Verbose() {
		tb.t.Logf("%s: %s (%v)", tb.name, what, time.Since(t0).Round(time.Millisecond))
	}
}

// eval evaluates a JavaScript expression and returns its value.
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.t.Fatalf("%s: eval %s: %v", tb.name, expr, err)
	}
	return v
}

// waitJS waits until a JavaScript expression is true.
func waitJS(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Poll[bool](expr, chromedp.WithPollingInterval(50*time.Millisecond))(ctx, t)
		return err
	})
}

// shot saves a full-page PNG screenshot.
func (tb *tab) shot(name string) {
	tb.t.Helper()
	t0 := time.Now()
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	// Toasts fade anyway; the page is shot from the top, as a person sees it.
	_, _ = chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll(".toast").forEach((e) => e.remove()); window.scrollTo(0, 0)`))
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Logf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(tb.b.shots, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tb.t.Errorf("write screenshot: %v", err)
		return
	}
	tb.t.Logf("screenshot %s (%v)", path, time.Since(t0).Round(time.Millisecond))
}

// viewShot saves a PNG of what the viewport shows, as it is scrolled.
func (tb *tab) viewShot(name string) {
	tb.t.Helper()
	ctx, cancel := tb.timeout()
	defer cancel()
	_, _ = chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll(".toast").forEach((e) => e.remove())`))
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	tb.savePNG(name, png, err)
}

// elemShot saves a PNG of one element.
func (tb *tab) elemShot(name, sel string) {
	tb.t.Helper()
	ctx, cancel := tb.timeout()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(sel)))
	tb.savePNG(name, png, err)
}

func (tb *tab) savePNG(name string, png []byte, err error) {
	tb.t.Helper()
	if err != nil {
		tb.t.Logf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(tb.b.shots, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tb.t.Errorf("write screenshot: %v", err)
		return
	}
	tb.t.Logf("screenshot %s", path)
}

// onPhone checks that the page fits a small phone (360 CSS pixels) and a
// common one (390), runs f at 390, then goes back to the desktop size.
func (tb *tab) onPhone(name string, f func()) {
	tb.t.Helper()
	for _, width := range []int64{360, 390} {
		tb.do(fmt.Sprintf("phone size %dpx", width), chromedp.EmulateViewport(width, 800, chromedp.EmulateScale(2), chromedp.EmulateMobile), settle)
		if w := eval[int64](tb, `document.documentElement.scrollWidth`); w > width {
			wide := eval[string](tb, fmt.Sprintf(`[...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > %d && (e.parentElement.closest(".table-wrap") === null)).slice(0, 5).map((e) => e.tagName + "." + e.className).join(", ")`, width+1))
			tb.t.Errorf("%s: the page is %dpx wide on a %dpx phone screen (%s)", name, w, width, wide)
		}
	}
	f()
	tb.desktop()
}

// settle waits for the page to lay itself out again: two animation frames.
var settle = chromedp.Evaluate[chromedp.Void](`new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())))`, chromedp.EvalAwaitPromise)

// desktop goes back to the desktop size.
func (tb *tab) desktop() {
	tb.t.Helper()
	tb.do("desktop size", chromedp.EmulateViewport(1366, 900), settle)
}

// audit checks one screen in lang: its text is in that language, and axe
// finds nothing serious on a desktop and on a phone. shot and phoneShot,
// when not empty, name full-page screenshots of the two.
func (tb *tab) audit(screen, lang, shot, phoneShot string) {
	tb.t.Helper()
	if shot != "" {
		tb.shot(shot)
	}
	tb.checkLanguage(screen, lang)
	tb.axe(fmt.Sprintf("%s (%s, desktop)", screen, lang))
	tb.onPhone(screen, func() {
		if phoneShot != "" {
			tb.shot(phoneShot)
		}
		tb.axe(fmt.Sprintf("%s (%s, phone)", screen, lang))
	})
}

// poll waits up to d for a JavaScript expression to be true and reports
// whether it was.
func (tb *tab) poll(expr string, d time.Duration) bool {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, d)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(50*time.Millisecond)))
	return err == nil
}

// endState is what the call screen shows at the end of a call.
type endState struct {
	Lines       int    `json:"lines"`   // last lines found: the customer's last words and the end line
	Visible     bool   `json:"visible"` // all of them inside the viewport, not covered
	Where       string `json:"where"`
	EndedBy     string `json:"endedBy"`
	Reason      string `json:"reason"`
	Ready       bool   `json:"ready"` // the verdict has the call's scorecard
	InView      bool   `json:"inView"`
	GoalReached string `json:"goalReached"`
	Score       string `json:"score"`
	Speaking    string `json:"speaking"`
	Milestones  string `json:"milestones"`
	Findings    string `json:"findings"`
	TurnLinks   int    `json:"turnLinks"`
}

// endJS reads the end of a call from the call screen.
const endJS = `(() => {
	const lines = [...document.querySelectorAll('[data-testid="chat"] [data-testid="end-line"]')];
	const end = lines[lines.length - 1];
	const prev = end && end.previousElementSibling;
	const els = [prev && prev.matches(".msg-customer") ? prev : null, end].filter(Boolean);
	const bar = document.querySelector(".topbar").getBoundingClientRect().bottom;
	const seen = (el) => {
		const r = el.getBoundingClientRect();
		if (!r.height || r.top < bar - 1 || r.bottom > innerHeight + 1) return false;
		const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
		return !!at && (at === el || el.contains(at));
	};
	const v = document.querySelector('[data-testid="verdict"]');
	const reason = document.querySelector('[data-testid="end-reason"]');
	return {
		lines: els.length, visible: els.length > 0 && els.every(seen),
		where: els.map((e) => { const r = e.getBoundingClientRect(); return Math.round(r.top) + "–" + Math.round(r.bottom); }).join(", ") + " of " + innerHeight + " (bar " + Math.round(bar) + ")",
		endedBy: reason ? reason.dataset.endedBy : "", reason: reason ? reason.textContent : "",
		ready: !!v && v.dataset.ready === "true" && v.checkVisibility(),
		inView: !!v && v.getBoundingClientRect().top < innerHeight,
		goalReached: v ? v.dataset.goalReached || "" : "", score: v ? v.dataset.score || "" : "",
		speaking: v ? v.dataset.speakingSec || "" : "", milestones: v ? v.dataset.milestones || "" : "",
		findings: v ? v.dataset.findings || "" : "", turnLinks: v ? v.querySelectorAll('[data-testid="verdict-turn"]').length : 0,
	};
})()`

// checkEnd checks the end of a call as the screen shows it now: the last
// lines (the customer's last words, and why the call ended) are in the
// viewport, the panel says why the call ended (endedBy: trainee, customer,
// limit), and the verdict is shown with the call's goal, the deal's score
// and the speaking time from the scorecard.
func (tb *tab) checkEnd(what, endedBy string) endState {
	tb.t.Helper()
	// The last line comes after the customer's typing pause, the verdict with
	// the scorecard after it.
	ok := tb.poll(`(() => { const e = `+endJS+`; return e.visible && e.ready; })()`, 8*time.Second)
	e := eval[endState](tb, endJS)
	if !ok {
		tb.shot("FAILED-end-" + tb.name)
	}
	if e.Lines == 0 || !e.Visible {
		tb.t.Errorf("%s: the call's last lines are not in view: %d lines at %s", what, e.Lines, e.Where)
	}
	if e.EndedBy != endedBy {
		tb.t.Errorf("%s: the end panel says %q (ended by %q); want ended by %s", what, e.Reason, e.EndedBy, endedBy)
	}
	if !e.Ready || !e.InView {
		tb.t.Errorf("%s: the verdict is not shown (ready %v, in view %v)", what, e.Ready, e.InView)
	}
	if e.GoalReached == "" || e.Score == "" || e.Speaking == "" {
		tb.t.Errorf("%s: the verdict lacks the goal (%q), the deal score (%q) or the speaking time (%q)", what, e.GoalReached, e.Score, e.Speaking)
	}
	return e
}

// breakdownSum is the scorecard's breakdown as the page shows it.
type breakdownSum struct {
	Sum   int      `json:"sum"`   // the lines' points
	Total int      `json:"total"` // the total line
	Ring  int      `json:"ring"`  // the score in the ring
	Items []string `json:"items"`
}

// checkScorecard checks that the scorecard's numbers add up: the breakdown's
// lines sum to its total and to the score in the ring. It returns the lines.
func (tb *tab) checkScorecard(what string) breakdownSum {
	tb.t.Helper()
	v := eval[breakdownSum](tb, `(() => {
		const rows = [...document.querySelectorAll('[data-testid="breakdown"] .bd-row[data-item]')];
		return {
			sum: rows.reduce((a, e) => a + Number(e.dataset.points), 0),
			total: Number(document.querySelector('[data-testid="breakdown-total"]').dataset.points),
			ring: Number(document.querySelector('[data-testid="scorecard"] .ring-number').textContent),
			items: rows.map((e) => e.dataset.item + " " + e.dataset.points),
		};
	})()`)
	if v.Sum != v.Ring || v.Total != v.Ring {
		tb.t.Errorf("%s: the breakdown adds up to %d (total line %d); the score is %d: %v", what, v.Sum, v.Total, v.Ring, v.Items)
	}
	return v
}

// dataWords are names and ids from the test data, not interface text: they
// may show in either language.
const dataWords = `/callsim|CSV|CRM|YAML|Acme|Shift|Anna Lind|Ben Okafor|Dmitri Volkov|Carla Coach|Administrator|陈美|north|Gong\.io|d_[0-9a-f]{16}|\b(admin|anna|ben|carla|dmitri|mei)\b|\b[a-z]+(-[a-z]+){2,}\b|中文|EN/g`

// checkLanguage reports visible interface text in the other language: Latin
// words on a Chinese page, Chinese on an English one. Text marked with a
// lang attribute of the other language (what the customer said, in the
// deal's language), initials in avatars, coaches' comments and the test
// data's names are fine.
func (tb *tab) checkLanguage(page, lang string) {
	tb.t.Helper()
	foreign := `/[\u3400-\u9fff]/`
	if lang == "zh" {
		foreign = `/[A-Za-z]{2,}/`
	}
	bad := eval[[]string](tb, fmt.Sprintf(`((want, foreign, data) => {
		const out = new Set();
		const other = (el) => { const l = el.closest("[lang]"); return l && l !== document.documentElement && !l.lang.startsWith(want); };
		const check = (el, s, what) => {
			if (!s || !foreign.test(s.replace(data, "")) || other(el)) return;
			out.add(what + s.trim().replace(/\s+/g, " ").slice(0, 90));
		};
		const w = document.createTreeWalker(document.getElementById("app"), NodeFilter.SHOW_TEXT);
		for (let n; (n = w.nextNode());) {
			const el = n.parentElement;
			if (el && el.checkVisibility() && !el.closest(".avatar, .comment")) check(el, n.textContent, "");
		}
		for (const el of document.querySelectorAll("#app [aria-label], #app [title], #app [placeholder]")) {
			for (const a of ["aria-label", "title", "placeholder"]) check(el, el.getAttribute(a), a + "=");
		}
		check(document.documentElement, document.title, "title=");
		return [...out];
	})(%q, %s, %s)`, lang, foreign, dataWords))
	if len(bad) > 0 {
		tb.t.Errorf("%s (%s): text in the wrong language:\n  %s", page, lang, strings.Join(bad, "\n  "))
	}
}

func (tb *tab) login(username string) {
	tb.t.Helper()
	tb.do("log in as "+username,
		chromedp.SendKeys(chromedp.CSS("#username"), username),
		chromedp.SendKeys(chromedp.CSS("#password"), browserPassword),
		chromedp.Click(chromedp.CSS(`form.login-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("header.topbar")),
	)
}

func (tb *tab) goTo(hash string) {
	tb.t.Helper()
	tb.do("go to "+hash, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`location.hash = %q`, hash)))
}

// say types one line into the call screen and waits for the customer's
// answer.
func (tb *tab) say(line string) {
	tb.t.Helper()
	n := eval[int](tb, `document.querySelectorAll('[data-testid="customer-line"]').length`)
	tb.do("say "+line,
		chromedp.WaitEnabled(chromedp.CSS(`[data-testid="say-send"]`)),
		// The whole line at once: typing it key by key only costs time.
		chromedp.SetValue(chromedp.CSS(`[data-testid="say-input"]`), line),
		chromedp.Click(chromedp.CSS(`[data-testid="say-send"]`)),
		waitJS(fmt.Sprintf(`document.querySelectorAll('[data-testid="customer-line"]').length > %d || !!document.querySelector('[data-testid="call-ended"]:not([hidden])')`, n)),
	)
}

// restartMidCall closes the server under a live call and starts a new one
// on the same data directory and address, as an operator's restart does.
// The call screen must say that it is reconnecting, resume the deal by
// itself with the conversation so far, and let the trainee go on in the
// same call. It returns the new server.
func (tb *tab) restartMidCall(srv *e2eServer) *e2eServer {
	tb.t.Helper()
	const chatText = `[...document.querySelectorAll('[data-testid="chat"] .msg .bubble')].map((e) => e.textContent).join("\n")`
	const status = `document.querySelector('[data-testid="call-status"]').textContent`
	before, statusBefore := eval[string](tb, chatText), eval[string](tb, status)
	if before == "" || !strings.HasPrefix(statusBefore, "On call") {
		tb.t.Fatalf("before the restart: status %q, chat %q; want a live call", statusBefore, before)
	}
	addr := srv.m.Addr()
	t0 := time.Now()
	closed := make(chan error, 1)
	go func() { closed <- srv.close() }()
	tb.do("the server goes away: the call shows that it is reconnecting",
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="call-banner"] .spinner`)),
		waitJS(status+` === "Reconnecting…"`),
		waitJS(`document.querySelector('[data-testid="say-send"]').disabled`),
	)
	if err := <-closed; err != nil {
		tb.t.Fatalf("close the server: %v", err)
	}
	down := time.Since(t0)
	again := startMainAt(tb.t, srv.dir, addr)
	up := time.Since(t0)
	tb.do("the call resumes by itself",
		waitJS(`document.querySelector('[data-testid="call-banner"]').hidden`),
		waitJS(status+` === `+fmt.Sprintf("%q", statusBefore)),
		waitJS(`!document.querySelector('[data-testid="say-send"]').disabled`),
	)
	if after := eval[string](tb, chatText); after != before {
		tb.t.Errorf("after the reconnect the conversation reads\n%s\nwant\n%s", after, before)
	}
	tb.t.Logf("restart mid-call: reconnecting shown and server closed after %v, new server up after %v, call resumed after %v",
		down.Round(time.Millisecond), up.Round(time.Millisecond), time.Since(t0).Round(time.Millisecond))
	return again
}

// wonActions is what the end of a won deal offers.
type wonActions struct {
	First   string `json:"first"`   // the first action's test id
	Primary bool   `json:"primary"` // it is the primary button
	Next    bool   `json:"next"`    // the second is the next customer
	Folded  bool   `json:"folded"`  // the follow-up is folded away
	Preset  string `json:"preset"`  // the follow-up's preset goal
	DialOff bool   `json:"dialOff"` // dialling waits for a goal
}

// hangUp hangs up, unless the call ended with the trainee's goodbye.
func (tb *tab) hangUp() {
	tb.t.Helper()
	tb.do("hang up",
		chromedp.Evaluate[chromedp.Void](`(() => { const b = document.querySelector('[data-testid="hangup"]'); if (b && !b.disabled) b.click(); })()`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="call-ended"]`)),
	)
}

// endOnBoth checks the end of a call on the desktop and on a phone, saves
// what the viewport shows and the end panel on both (prefix-LANG.png,
// prefix-LANG-phone.png, verdict-LANG….png), and checks the screen with axe.
func (tb *tab) endOnBoth(what, endedBy, lang, shot, verdictShot string) endState {
	tb.t.Helper()
	e := tb.checkEnd(what+" (desktop)", endedBy)
	tb.viewShot(shot)
	tb.elemShot(verdictShot, `[data-testid="call-ended"]`)
	tb.checkLanguage(what, lang)
	tb.axe(fmt.Sprintf("call ended (%s, desktop)", lang))
	tb.onPhone(what, func() {
		tb.checkEnd(what+" (phone)", endedBy)
		tb.viewShot(shot + "-phone")
		tb.elemShot(verdictShot+"-phone", `[data-testid="call-ended"]`)
		tb.axe(fmt.Sprintf("call ended (%s, phone)", lang))
	})
	return e
}

func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	mustChromium(t)
	t.Parallel()
	start := time.Now()
	dir := t.TempDir()
	seeded := seedTeam(t, dir)
	t.Logf("team seeded in %v", time.Since(start).Round(time.Millisecond))
	srv := startMain(t, dir)
	adminPassword := srv.admin
	b := newBrowser(t, srv.url)
	if axeSource(t) == "" {
		t.Logf("axe-core not found at %s: no accessibility checks (npm install --prefix .ci/npm --no-save axe-core@4, or set CALLSIM_AXE)", axeLoad.path)
	}

	// (a) A trainee plans the first call (goal: need), dials, digs for the
	// need, agrees a next step and hangs up: the last lines and the verdict
	// are in view. From the verdict's finding she opens the scorecard at its
	// turn, dials the follow-up (goal: deal), closes price and time, hangs
	// up, and ends the deal from the end of the call.
	anna := b.newTab("anna", "en")
	anna.audit("login", "en", "", "")
	anna.login("anna")
	// Both dictionaries have every key.
	missing, err := chromedp.Run(anna.ctx, chromedp.Evaluate[string](`Promise.all([import("./i18n-en.js"), import("./i18n-zh.js")]).then(([a, b]) =>
		Object.keys(a.en).filter((k) => !(k in b.zh)).concat(Object.keys(b.zh).filter((k) => !(k in a.en))).join(" "))`, chromedp.EvalAwaitPromise))
	if err != nil || missing != "" {
		t.Errorf("i18n dictionaries differ: %q %v", missing, err)
	}
	anna.goTo(fmt.Sprintf("#/practice?seed=%d", browserSeed))
	anna.do("pick a persona and the goal",
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`[data-persona=%q]`, e2ePersona))),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`[data-persona=%q]`, e2ePersona))),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="dial"]`)),
		chromedp.Click(chromedp.CSS(`input[data-testid="goal-need"]`)),
	)
	anna.audit("practice room", "en", "01-practice-room-plan", "01-practice-room-plan-phone")
	anna.do("dial",
		chromedp.Click(chromedp.CSS(`[data-testid="dial"]`)),
		waitJS(`document.querySelectorAll('[data-testid="customer-line"]').length >= 1`),
	)
	for _, line := range e2eCall1 {
		anna.say(line)
	}
	dealID := strings.TrimPrefix(eval[string](anna, `location.hash`), "#/call/")
	if !strings.HasPrefix(dealID, "d_") {
		t.Fatalf("call screen address %q does not name the deal", dealID)
	}
	anna.hangUp()
	e := anna.endOnBoth("call 1 hung up by the trainee", "trainee", "en", "13-call-end-en", "14-verdict-en")
	if e.GoalReached != "true" || e.Milestones != "need" {
		t.Errorf("verdict of call 1: goal reached %s, milestones %q; want true, need", e.GoalReached, e.Milestones)
	}
	if e.TurnLinks == 0 {
		t.Errorf("verdict of call 1: no finding links to its turn (findings %q)", e.Findings)
	}
	anna.do("open the scorecard at the verdict's finding",
		chromedp.Click(chromedp.CSS(`[data-testid="verdict-turn"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="transcript"]`)),
		waitJS(`/^#\/deal\/d_[0-9a-f]+\?turn=1-\d+$/.test(location.hash) && (() => {
			const el = document.getElementById("turn-" + location.hash.split("turn=")[1]);
			const r = el.getBoundingClientRect();
			return r.top >= 0 && r.bottom <= innerHeight;
		})()`),
	)
	if got := eval[string](anna, `document.querySelector('[data-testid="ms-need"]').dataset.reached`); got != "true" {
		t.Errorf("after call 1: need reached = %s; want true", got)
	}
	if got := eval[string](anna, `document.querySelector('[data-testid="score-caption"]').textContent`); got != "Deal score so far" {
		t.Errorf("open deal: the score is labelled %q; want Deal score so far", got)
	}
	anna.checkScorecard("scorecard after call 1")
	anna.do("dial the follow-up from the scorecard",
		chromedp.Click(chromedp.CSS(`[data-testid="followup"] input[data-testid="goal-deal"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="followup"] [data-testid="dial-followup"]`)),
		waitJS(`document.querySelector('[data-testid="call-goal"]') && document.querySelector('[data-testid="call-goal"]').textContent.startsWith("3.")`),
		waitJS(`!!document.querySelector('[data-testid="say-send"]:not([disabled])')`),
	)
	anna.do("turn live hints on",
		chromedp.Click(chromedp.CSS(`input[data-testid="hints-switch"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="hints-panel"] .hint-stage`)),
	)
	for i, line := range e2eCall2 {
		anna.say(line)
		if i == 1 {
			anna.audit("call", "en", "02-practice-room-call", "02-practice-room-call-phone")
			// The server goes away mid-call and comes back on the same
			// data and address; the next line goes into the same call.
			srv = anna.restartMidCall(srv)
		}
	}
	// The lines after the restart were stored in call 2, the call that was
	// live when the connection dropped.
	if turns, _ := login(t, srv.url, "anna", browserPassword).deal(dealID); len(turns) == 0 {
		t.Errorf("deal %s has no transcript after the restart", dealID)
	} else if last := wsMsg(turns[len(turns)-1]); last.num("call") != 2 || last.str("trainee") != e2eCall2[len(e2eCall2)-1] {
		t.Errorf("after the restart the last turn is %v; want call 2 with %q", last, e2eCall2[len(e2eCall2)-1])
	}
	anna.hangUp()
	e = anna.checkEnd("call 2 (deal won) hung up by the trainee", "trainee")
	if e.GoalReached != "true" || e.Milestones != "offer deal" {
		t.Errorf("verdict of call 2: goal reached %s, milestones %q; want true, offer deal", e.GoalReached, e.Milestones)
	}
	// Won: the main action ends the deal and shows the hidden state; the
	// next customer comes second; a follow-up is folded away, preset to no
	// milestone (all are reached).
	won := eval[wonActions](anna, `(() => {
		const a = document.querySelector('[data-testid="end-actions"]');
		const btns = [...a.querySelectorAll("a.btn, button.btn")].filter((b) => b.checkVisibility());
		const dial = a.querySelector('[data-testid="dial-followup"]');
		const checked = a.querySelector('input[name="fgoal"]:checked');
		return {
			first: btns[0] ? btns[0].dataset.testid : "", primary: !!btns[0] && btns[0].classList.contains("btn-primary"),
			next: !!btns[1] && btns[1].dataset.testid === "next-customer",
			folded: !!dial && !!dial.closest("details:not([open])"), preset: checked ? checked.value : "", dialOff: !!dial && dial.disabled,
		};
	})()`)
	if won.First != "end-deal-reveal" || !won.Primary || !won.Next || !won.Folded || won.Preset != "" || !won.DialOff {
		t.Errorf("end of a won deal: %+v; want end-deal-reveal as the primary action, then next-customer, the follow-up folded, no goal preset", won)
	}
	anna.elemShot("18-verdict-won-en", `[data-testid="call-ended"]`)
	anna.do("end the deal from the end of the call, confirmed: the hidden state is revealed",
		chromedp.Click(chromedp.CSS(`[data-testid="end-deal-reveal"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="confirm-dialog"] [data-testid="confirm-ok"]`)),
	)
	if got := eval[string](anna, `document.querySelector('[data-testid="confirm-dialog"] h2').textContent`); got != "End this deal?" {
		t.Errorf("ending the deal asks %q; want End this deal?", got)
	}
	anna.do("confirm",
		chromedp.Click(chromedp.CSS(`[data-testid="confirm-ok"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="hidden-state"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="transcript"]`)),
	)
	for _, m := range []string{"need", "offer", "deal"} {
		if got := eval[string](anna, fmt.Sprintf(`document.querySelector('[data-testid="ms-%s"]').dataset.reached`, m)); got != "true" {
			t.Errorf("scorecard: milestone %s reached = %s; want true", m, got)
		}
		if q := eval[string](anna, fmt.Sprintf(`(document.querySelector('[data-testid="ms-%s"] .quote') || {}).textContent || ""`, m)); q == "" {
			t.Errorf("scorecard: milestone %s has no evidence quote", m)
		}
	}
	for _, c := range []string{"price", "time"} {
		if got := eval[string](anna, fmt.Sprintf(`document.querySelector('[data-testid="commit-%s"]').dataset.agreed`, c)); got != "true" {
			t.Errorf("scorecard: %s agreed = %s; want true", c, got)
		}
	}
	if n := eval[int](anna, `document.querySelectorAll('.call-item').length`); n < 2 {
		t.Errorf("scorecard lists %d calls; want 2", n)
	}
	// The pace beside the team's: this deal reached the deal in call 2;
	// two earlier deals of the team on this customer closed too.
	if got := eval[string](anna, `document.querySelector('[data-testid="pace-deal-deal"]').textContent`); !strings.Contains(got, "call 2") {
		t.Errorf("scorecard pace to the deal = %q; want call 2", got)
	}
	if got := eval[string](anna, `document.querySelector('[data-testid="pace-deal-team"]').textContent`); !strings.Contains(got, "call 2") || !strings.Contains(got, "reached it") {
		t.Errorf("scorecard team pace to the deal = %q; want the team's median, call 2", got)
	}
	// One deal score, and each call's goal beside it; a follow-up that did
	// not begin with the opening is not "in order"; the question reference
	// is neutral, with its source.
	anna.checkScorecard("final scorecard")
	for sel, want := range map[string]string{
		`[data-testid="score-caption"]`:    "Deal score",
		`[data-testid="goal-reached-1"]`:   "Call 1: goal reached",
		`[data-testid="goal-reached-2"]`:   "Call 2: goal reached",
		`[data-testid="stage-order-1"]`:    "Stages in order",
		`[data-testid="stage-order-2"]`:    "Did not start with the opening",
		`[data-testid="questions-source"]`: "speaking time (estimated)",
	} {
		if got := eval[string](anna, fmt.Sprintf(`document.querySelector(%q).textContent`, sel)); !strings.Contains(got, want) {
			t.Errorf("scorecard %s reads %q; want %q", sel, got, want)
		}
	}
	if eval[bool](anna, `document.querySelector('[data-testid="stage-order-2"]').classList.contains("pill-success")`) {
		t.Errorf("scorecard: call 2 did not start with the opening, yet its stage order is green")
	}
	if n := eval[int](anna, `document.querySelectorAll('[data-testid="talk"] .share-over').length`); n != 0 {
		t.Errorf("scorecard: the questions against the scaled reference are marked as a warning")
	}
	if n := eval[int](anna, `document.querySelectorAll('[data-testid="objections"] [data-state="resolved"] .obj-line').length`); n != 1 {
		t.Errorf("scorecard: %d answered objections with the customer's words; want 1", n)
	}
	anna.audit("scorecard", "en", "03-scorecard", "03-scorecard-phone")
	anna.goTo("#/history")
	anna.do("my history", chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`tr[data-deal=%q]`, dealID))))
	if got := eval[string](anna, fmt.Sprintf(`(document.querySelector('tr[data-deal=%q] [data-status]') || {dataset: {}}).dataset.status || ""`, dealID)); got != "finished" {
		t.Errorf("history: the deal's status is %q; want finished", got)
	}
	anna.audit("history", "en", "07-history", "07-history-phone")

	// (b) The coach of the team sees the deal in the funnel, opens it,
	// comments on a turn and overrides the score with a reason.
	coach := b.newTab("coach", "en")
	coach.login("carla")
	coach.do("team desk with the deal",
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="funnel"]`)),
		waitJS(`Number(document.querySelector('[data-testid="funnel"]').dataset.deals) >= 1`),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`tr[data-deal=%q]`, dealID))),
	)
	if n := eval[string](coach, `document.querySelector('[data-testid="funnel"]').dataset.deal`); n != fmt.Sprint(seeded.closed+1) {
		t.Errorf("funnel: %s deals closed; want %d", n, seeded.closed+1)
	}
	// The lecture's coaching signal: deals stalled on the time for lack of
	// urgency, per trainee; and the team's pace per customer.
	for user, want := range map[string]string{"ben": "2", "mei": "1", "anna": "0", "dmitri": "0"} {
		if got := eval[string](coach, fmt.Sprintf(`document.querySelector('[data-testid="stalled-%s"]').dataset.stalled`, user)); got != want {
			t.Errorf("coach desk: %s stalled %s deals; want %s", user, got, want)
		}
	}
	if n := eval[int](coach, `document.querySelectorAll('[data-testid="coach-pace"] tbody tr').length`); n != 2 {
		t.Errorf("coach desk pace: %d customers; want 2", n)
	}
	if got := eval[string](coach, fmt.Sprintf(`document.querySelector('[data-testid="deal-pace-%s"]').textContent`, dealID)); !strings.Contains(got, "call 2") || !strings.Contains(got, "team") {
		t.Errorf("coach desk deal pace = %q; want the deal's call 2 beside the team's", got)
	}
	coach.checkCoachDesk(srv.url, dealID, seeded)
	coach.audit("coach desk", "en", "04-coach-desk", "")
	coach.onPhone("coach desk", func() {
		coach.checkDealCards("coach desk", `[data-testid="coach-deals"] tr[data-deal]`, []string{`.score-chip`, `.outcome`, `[data-testid^="review-"]`})
		coach.shot("04-coach-desk-phone")
	})
	// A deal that lost more points than it earned: the floor line keeps it
	// at 0 and the lines still add up.
	coach.goTo("#/deal/" + seeded.floor)
	coach.do("a deal held at 0 by the floor", chromedp.WaitVisible(chromedp.CSS(`[data-testid="breakdown"] [data-item="floor"]`)))
	coach.checkScorecard("deal at the floor")
	coach.goTo("#/coach")
	coach.do("open the deal, comment on call 1, turn 2",
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`[data-testid="review-%s"]`, dealID))),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`[data-testid="review-%s"]`, dealID))),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="transcript"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="hidden-state"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="comment-1-2"]`)),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="comment-text"]`), "Good problem question: the motive came right away."),
		chromedp.Click(chromedp.CSS(`[data-testid="comment-save"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#turn-1-2 [data-testid="comment"]`)),
	)
	coach.do("override the score",
		chromedp.SetValue(chromedp.CSS(`[data-testid="override-score"]`), "88"),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="override-reason"]`), "Clean close over two calls; the objection was answered with a case."),
		chromedp.Click(chromedp.CSS(`[data-testid="override-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="override-note"]`)),
	)
	if got := eval[string](coach, `document.querySelector('[data-testid="scorecard"] .ring-number').textContent`); got != "88" {
		t.Errorf("after the override the score shows %q; want 88", got)
	}
	coach.audit("coach review", "en", "05-coach-review", "")
	coach.onPhone("coach review", func() {
		// On a phone the coach reads the transcript first.
		if !eval[bool](coach, `document.querySelector('[data-testid="transcript"]').getBoundingClientRect().top < document.querySelector('[data-testid^="ms-need"]').getBoundingClientRect().top`) {
			t.Errorf("coach review on a phone: the transcript does not come first")
		}
	})
	coach.goTo("#/coach")
	coach.do("turn live hints off for the team",
		chromedp.WaitVisible(chromedp.CSS(`input[data-testid="team-hints"]`)),
		chromedp.Click(chromedp.CSS(`input[data-testid="team-hints"]`)),
		waitJS(`!document.querySelector('input[data-testid="team-hints"]').checked && !document.querySelector('input[data-testid="team-hints"]').disabled`),
	)

	// (c) Another trainee types the deal's address and is refused.
	ben := b.newTab("ben", "en")
	ben.login("ben")
	ben.do("hints are off for the team",
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`[data-persona=%q]`, e2ePersona))),
		chromedp.WaitVisible(chromedp.CSS(`input[data-testid="hints-toggle"]`)),
		waitJS(`document.querySelector('input[data-testid="hints-toggle"]').disabled`),
	)
	ben.goTo("#/deal/" + dealID)
	ben.do("refused", chromedp.WaitVisible(chromedp.CSS(`[data-testid="refused"]`)))
	if n := eval[int](ben, `document.querySelectorAll('[data-testid="transcript"], [data-testid="scorecard"]').length`); n != 0 {
		t.Errorf("another trainee sees deal %s", dealID)
	}

	// The same desk in Chinese.
	coachZH := b.newTab("coach-zh", "zh")
	coachZH.login("carla")
	coachZH.do("team desk in Chinese",
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="funnel"]`)),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`tr[data-deal=%q]`, dealID))),
	)
	if lang := eval[string](coachZH, `document.documentElement.lang`); lang != "zh-CN" {
		t.Errorf("document language = %q; want zh-CN", lang)
	}
	if name := eval[string](coachZH, fmt.Sprintf(`(document.querySelector('tr[data-deal=%q] [data-testid="deal-persona"]') || {}).textContent || ""`, dealID)); name != "王磊" {
		t.Errorf("coach desk in Chinese names the customer %q; want 王磊", name)
	}
	coachZH.audit("coach desk", "zh", "06-coach-desk-zh", "")
	coachZH.do("review the deal in Chinese",
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`[data-testid="review-%s"]`, dealID))),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="transcript"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="hidden-state"]`)),
	)
	coachZH.audit("coach review", "zh", "11-coach-review-zh", "")

	// The trainee's screens in Chinese: the practice room, a call in
	// Chinese that the customer hangs up on (on a phone), a follow-up ended
	// with the deal while it is live, the scorecards and the history.
	annaZH := b.newTab("anna-zh", "zh")
	annaZH.audit("login", "zh", "", "")
	annaZH.login("anna")
	annaZH.goTo("#/practice")
	annaZH.do("pick a persona in Chinese",
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`[data-persona=%q]`, e2ePersona))),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`[data-persona=%q]`, e2ePersona))),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="dial"]`)),
	)
	annaZH.audit("practice room", "zh", "08-practice-room-zh", "")
	annaZH.do("dial in Chinese",
		chromedp.Click(chromedp.CSS(`[data-testid="dial"]`)),
		waitJS(`document.querySelectorAll('[data-testid="customer-line"]').length >= 1`),
	)
	annaZH.say("您好，我是Acme培训的安娜，想跟您聊聊销售团队的业绩，您现在方便说两分钟吗？")
	annaZH.say("您的团队在电话销售上最大的挑战是什么？")
	annaZH.audit("call", "zh", "09-call-zh", "09-call-zh-phone")
	zhDeal := strings.TrimPrefix(eval[string](annaZH, `location.hash`), "#/call/")
	// On a phone, pressure twice: the customer hangs up.
	annaZH.do("phone size", chromedp.EmulateViewport(390, 800, chromedp.EmulateScale(2), chromedp.EmulateMobile), settle)
	annaZH.say("您必须今天就决定，不然一定会后悔！")
	annaZH.say("您必须今天就决定，不然一定会后悔！")
	e = annaZH.checkEnd("the customer hangs up (phone)", "customer")
	annaZH.viewShot("15-call-end-customer-zh-phone")
	annaZH.elemShot("16-verdict-zh-phone", `[data-testid="call-ended"]`)
	annaZH.axe("call ended (zh, phone)")
	annaZH.desktop()
	annaZH.checkEnd("the customer hangs up (desktop)", "customer")
	annaZH.viewShot("15-call-end-customer-zh")
	annaZH.elemShot("16-verdict-zh", `[data-testid="call-ended"]`)
	annaZH.checkLanguage("call ended", "zh")
	annaZH.axe("call ended (zh, desktop)")
	// The scorecard came after the hang-up; the panel still says who hung up.
	if got := eval[string](annaZH, `document.querySelector('[data-testid="end-reason"]').textContent`); got != "王磊挂断了电话。" {
		t.Errorf("after the customer hung up the end panel says %q; want 王磊挂断了电话。", got)
	}
	if e.GoalReached != "true" || !strings.Contains(e.Findings, "pressure") {
		t.Errorf("verdict of the call the customer hung up: goal reached %s, findings %q; want true, with pressure", e.GoalReached, e.Findings)
	}
	// A follow-up, ended with the deal while it is live: the call's end and
	// the deal's verdict stay on the screen.
	annaZH.do("dial a follow-up from the end of the call",
		chromedp.Click(chromedp.CSS(`[data-testid="call-ended"] input[data-testid="goal-offer"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="call-ended"] [data-testid="dial-followup"]`)),
		waitJS(`!!document.querySelector('[data-testid="say-send"]:not([disabled])')`),
	)
	annaZH.say("王总，我们的课程正是为了让新人在季度考核前尽快出单。")
	// The open deal on the history: Continue takes the trainee back into the
	// live call, on a phone too.
	annaZH.goTo("#/history")
	annaZH.do("the open deal on the history", chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`[data-testid="continue-%s"]`, zhDeal))))
	if href := eval[string](annaZH, fmt.Sprintf(`document.querySelector('[data-testid="continue-%s"]').getAttribute("href")`, zhDeal)); href != "#/call/"+zhDeal {
		t.Errorf("history: Continue of a deal with a live call goes to %q; want #/call/%s", href, zhDeal)
	}
	annaZH.onPhone("history with an open deal", func() {
		annaZH.checkDealCards("history", fmt.Sprintf(`[data-testid="history-table"] tr[data-deal=%q]`, zhDeal), []string{`.score-chip`, `.outcome`, `[data-testid^="continue-"]`})
	})
	annaZH.goTo("#/deal/" + zhDeal)
	annaZH.do("end the deal while its call is live",
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="return-to-call"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="finish-deal"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="confirm-ok"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="confirm-ok"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="call-ended"]`)),
	)
	annaZH.checkEnd("the deal ended mid-call (desktop)", "trainee")
	if !eval[bool](annaZH, `!!document.querySelector('[data-testid="end-actions"] a.btn-primary[data-testid="see-hidden"]')`) {
		t.Errorf("end of a finished deal: the main action is not to see the hidden state")
	}
	annaZH.viewShot("17-call-end-finish-zh")
	annaZH.onPhone("the deal ended mid-call", func() {
		annaZH.checkEnd("the deal ended mid-call (phone)", "trainee")
		annaZH.viewShot("17-call-end-finish-zh-phone")
	})
	annaZH.do("see the hidden state",
		chromedp.Click(chromedp.CSS(`[data-testid="see-hidden"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="hidden-state"]`)),
	)
	annaZH.checkScorecard("the Chinese deal's scorecard")
	annaZH.audit("scorecard", "zh", "10-scorecard-zh", "10-scorecard-zh-phone")
	annaZH.goTo("#/deal/" + dealID)
	annaZH.do("the English deal's scorecard in Chinese",
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="hidden-state"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="transcript"]`)),
	)
	if name := eval[string](annaZH, `document.getElementById("deal-h").textContent`); name != "王磊" {
		t.Errorf("scorecard in Chinese names the customer %q; want 王磊", name)
	}
	annaZH.checkLanguage("scorecard", "zh")
	annaZH.goTo("#/history")
	annaZH.do("my history in Chinese", chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`tr[data-deal=%q]`, dealID))))
	annaZH.audit("history", "zh", "12-history-zh", "12-history-zh-phone")

	// (d) The administrator's screens and the password dialog, in both
	// languages.
	root := b.newTab("admin", "en")
	root.do("log in as admin",
		chromedp.SendKeys(chromedp.CSS("#username"), "admin"),
		chromedp.SendKeys(chromedp.CSS("#password"), adminPassword),
		chromedp.Click(chromedp.CSS(`form.login-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("header.topbar")),
		// The admin lands on the team desk: let it load before leaving it.
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="coach-deals"] table`)),
	)
	for _, lang := range []string{"en", "zh"} {
		if lang == "zh" {
			root.do("switch to Chinese", chromedp.Click(chromedp.CSS(`.topbar .seg button[lang="zh-CN"]`)), waitJS(`document.documentElement.lang === "zh-CN"`))
		}
		root.goTo("#/admin")
		root.do("admin page", chromedp.WaitVisible(chromedp.CSS(`[data-testid="new-username"]`)), waitJS(`!document.querySelector("main .spinner")`))
		root.audit("admin", lang, "", "")
		root.do("open the password dialog", chromedp.Click(chromedp.CSS(`.topbar-right > button:nth-of-type(1)`)), chromedp.WaitVisible(chromedp.CSS(`dialog[open]`)))
		root.axe(fmt.Sprintf("account (%s, desktop)", lang))
		root.onPhone("account", func() { root.axe(fmt.Sprintf("account (%s, phone)", lang)) })
		root.do("close the dialog", chromedp.KeyEvent("\x1b"), waitJS(`!document.querySelector("dialog[open]")`))
	}

	if axeSource(t) != "" {
		t.Logf("axe-core (%s):\n%s", axeLoad.path, b.axe.summary())
		var want []string
		for _, s := range []string{"login", "practice room", "call", "call ended", "scorecard", "history", "coach desk", "coach review", "admin", "account"} {
			for _, l := range []string{"en", "zh"} {
				for _, size := range []string{"desktop", "phone"} {
					want = append(want, fmt.Sprintf("%s (%s, %s)", s, l, size))
				}
			}
		}
		got := b.axe.screens()
		for _, w := range want {
			if !slices.Contains(got, w) {
				t.Errorf("axe did not check %s", w)
			}
		}
	}
	t.Logf("browser scenarios took %v", time.Since(start).Round(time.Millisecond))
}

// checkCoachDesk checks the coach's averages: per trainee over finished
// deals only, with the open ones counted beside; each deal's status.
func (tb *tab) checkCoachDesk(base, dealID string, seeded seededTeam) {
	tb.t.Helper()
	var list struct {
		Deals []struct {
			Username string `json:"username"`
			Over     bool   `json:"over"`
			Score    int    `json:"score"`
		} `json:"deals"`
	}
	login(tb.t, base, "carla", browserPassword).call("GET", "/api/v1/deals?team=north&limit=500", nil, &list)
	sum, n, open := 0, 0, 0
	for _, d := range list.Deals {
		if d.Username != seeded.openUser {
			continue
		}
		if d.Over {
			sum += d.Score
			n++
		} else {
			open++
		}
	}
	if n == 0 || open == 0 {
		tb.t.Fatalf("seeded %s with %d finished and %d open deals; want both", seeded.openUser, n, open)
	}
	want := fmt.Sprint(int(math.Round(float64(sum) / float64(n))))
	got := eval[map[string]string](tb, fmt.Sprintf(`(() => { const c = document.querySelector('[data-testid="avg-%s"]'); return c ? {avg: c.dataset.avg, open: c.dataset.open} : {}; })()`, seeded.openUser))
	if got["avg"] != want || got["open"] != fmt.Sprint(open) {
		tb.t.Errorf("coach desk: %s's average %q with %q open; want %s over finished deals, %d open", seeded.openUser, got["avg"], got["open"], want, open)
	}
	if st := eval[string](tb, fmt.Sprintf(`(document.querySelector('tr[data-deal=%q] [data-status]') || {dataset: {}}).dataset.status || ""`, dealID)); st != "finished" {
		tb.t.Errorf("coach desk: deal %s has status %q; want finished", dealID, st)
	}
	if n := eval[int](tb, `document.querySelectorAll('[data-testid="coach-deals"] [data-status="open"]').length`); n == 0 {
		tb.t.Errorf("coach desk: no deal shows as open")
	}
	if n := eval[int](tb, `document.querySelectorAll('[data-testid="override-legend"]').length`); n == 0 {
		tb.t.Errorf("coach desk: no legend for overridden scores")
	}
}

// checkDealCards checks, on a phone, that in every row of rows the
// elements of want are on the screen (not scrolled off to the side).
func (tb *tab) checkDealCards(what, rows string, want []string) {
	tb.t.Helper()
	bad := eval[[]string](tb, fmt.Sprintf(`(() => {
		const out = [];
		const rows = [...document.querySelectorAll(%q)].slice(0, 5);
		if (!rows.length) out.push("no rows");
		for (const r of rows) for (const sel of %s) {
			const el = r.querySelector(sel);
			const b = el && el.getBoundingClientRect();
			if (!el || !el.checkVisibility() || b.left < 0 || b.right > innerWidth) out.push(r.dataset.deal + " " + sel + (b ? " at " + Math.round(b.left) + "–" + Math.round(b.right) : " missing"));
		}
		return out;
	})()`, rows, jsStrings(want)))
	if len(bad) > 0 {
		tb.t.Errorf("%s on a phone: off the screen: %s", what, strings.Join(bad, "; "))
	}
}

// jsStrings writes a JavaScript array of strings.
func jsStrings(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// Lines of the team's earlier practice, with st-wang-director (seed 3 unless
// the deal closes over e2eCall1 and e2eCall2 with browserSeed).
var (
	pitchTooEarly = []string{
		"Hello, I'm calling from Acme Training.",
		"We are the leading training company in the country with twenty years of experience.",
		"The price is 29800 yuan for the whole team.",
	}
	needThenNextStep = []string{
		"Hi, this is Anna from Acme Training. I'm calling about your sales team's results, do you have two minutes?",
		"What's the biggest challenge your team has with phone sales?",
		"How many people are on your sales team right now?",
		"Can I call you back on Thursday to go through a proposal?",
	}
	offerThenNextStep = []string{
		"Hi, this is Anna from Acme Training. I'm calling about your sales team's results, do you have two minutes?",
		"What's the biggest challenge your team has with phone sales?",
		"Our course is built to lift your team's results against that target within a month.",
		"I understand the worry. Here is a case: a team like yours grew 25%, and we guarantee the results, with a month of coaching on their real calls.",
		"Can I call you back on Thursday to go through a proposal?",
	}
	pressure = []string{
		"Hi, I'm calling from Acme.",
		"You have to decide right now or you will regret it, stop wasting my time!",
		"You have to decide right now or you will regret it!",
	}
)

// pastDeal is one deal of the team's history, with e2ePersona unless
// persona says otherwise; finished unless open.
type pastDeal struct {
	user    string
	daysAgo int
	calls   [][]string
	goals   []sim.Milestone
	persona string
	open    bool
}

// seededTeam is what seedTeam made.
type seededTeam struct {
	closed   int    // deals that closed
	floor    string // a deal whose findings cost more than it earned
	openUser string // a trainee with an open deal beside finished ones
}

// surfaceCall1 is the first call of the persona's surface-offer script
// (personas/testdata/surface): the surface need presented, the price
// accepted and the time postponed for lack of urgency.
func surfaceCall1(t *testing.T, persona string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "personas", "testdata", "surface", persona+".en.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := sim.ParseScript(f)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range s.Calls[0].Lines {
		lines = append(lines, l.Text)
	}
	return lines
}

// seedTeam creates the team (four trainees and their coach) through the
// store, and their earlier deals, played by the engine and dated over the
// last ten days, so that the coach's trends and the trainee's history have
// something to show.
func seedTeam(t *testing.T, dir string) (seeded seededTeam) {
	t.Helper()
	ctx := context.Background()
	two := [][]string{e2eCall1, e2eCall2}
	const stalledPersona = "crm-gao-salesmgr"
	stalled := [][]string{surfaceCall1(t, stalledPersona)}
	history := []pastDeal{
		{"ben", 7, stalled, []sim.Milestone{sim.MilestoneDeal}, stalledPersona, false},
		{"mei", 4, stalled, []sim.Milestone{sim.MilestoneDeal}, stalledPersona, false},
		{"ben", 1, stalled, []sim.Milestone{sim.MilestoneDeal}, stalledPersona, false},
		{"anna", 9, [][]string{pitchTooEarly}, []sim.Milestone{sim.MilestoneOffer}, "", false},
		{"anna", 7, [][]string{needThenNextStep}, []sim.Milestone{sim.MilestoneNeed}, "", false},
		{"anna", 5, [][]string{offerThenNextStep}, []sim.Milestone{sim.MilestoneOffer}, "", false},
		{"anna", 3, two, []sim.Milestone{sim.MilestoneNeed, sim.MilestoneDeal}, "", false},
		{"ben", 8, [][]string{pressure}, []sim.Milestone{sim.MilestoneDeal}, "", false},
		{"ben", 6, [][]string{pitchTooEarly}, []sim.Milestone{sim.MilestoneOffer}, "", false},
		{"ben", 4, [][]string{needThenNextStep}, []sim.Milestone{sim.MilestoneNeed}, "", false},
		{"ben", 2, [][]string{offerThenNextStep}, []sim.Milestone{sim.MilestoneOffer}, "", false},
		{"dmitri", 9, [][]string{needThenNextStep}, []sim.Milestone{sim.MilestoneNeed}, "", false},
		{"dmitri", 6, two, []sim.Milestone{sim.MilestoneNeed, sim.MilestoneDeal}, "", false},
		{"dmitri", 3, [][]string{offerThenNextStep}, []sim.Milestone{sim.MilestoneOffer}, "", false},
		{"dmitri", 1, two, []sim.Milestone{sim.MilestoneNeed, sim.MilestoneDeal}, "", false},
		{"mei", 8, [][]string{pitchTooEarly}, []sim.Milestone{sim.MilestoneOffer}, "", false},
		{"mei", 5, [][]string{needThenNextStep}, []sim.Milestone{sim.MilestoneNeed}, "", false},
		{"mei", 2, two, []sim.Milestone{sim.MilestoneNeed, sim.MilestoneDeal}, "", false},
		// Left open after one call: its low score so far must not count
		// in dmitri's average.
		{"dmitri", 0, [][]string{pitchTooEarly}, []sim.Milestone{sim.MilestoneOffer}, "", true},
	}
	seeded.openUser = "dmitri"
	db, err := sqlite.Open(ctx, filepath.Join(dir, dbFile))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	defer db.Close()
	us := sqlite.NewUserService(db)
	us.BcryptCost = 4 // bcrypt's minimum: logins stay fast under the race detector
	ids := map[string]int64{}
	for _, u := range []sim.User{
		{Username: "anna", Name: "Anna Lind", Role: sim.RoleTrainee, Team: "north"},
		{Username: "ben", Name: "Ben Okafor", Role: sim.RoleTrainee, Team: "north"},
		{Username: "dmitri", Name: "Dmitri Volkov", Role: sim.RoleTrainee, Team: "north"},
		{Username: "mei", Name: "陈美", Role: sim.RoleTrainee, Team: "north"},
		{Username: "carla", Name: "Carla Coach", Role: sim.RoleCoach, Team: "north"},
	} {
		if err := us.CreateUser(ctx, &u, browserPassword); err != nil {
			t.Fatalf("create user %s: %v", u.Username, err)
		}
		ids[u.Username] = u.ID
	}
	cat, err := yaml.Load(ctx, personas.FS(), "")
	if err != nil {
		t.Fatal(err)
	}
	ear := understand.MustNew()
	deals := sqlite.NewDealService(db)
	now := time.Now()
	for i, h := range history {
		at := now.Add(-time.Duration(h.daysAgo)*24*time.Hour - time.Duration(i)*7*time.Minute)
		db.Now = func() time.Time { return at }
		seed := int64(3)
		if len(h.calls) == 2 {
			seed = browserSeed
		}
		persona := cmp.Or(h.persona, e2ePersona)
		if h.persona != "" {
			seed = 1 // the seed the surface-offer scripts are tested with
		}
		p, sc, err := cat.Persona(persona)
		if err != nil {
			t.Fatal(err)
		}
		rec := &sim.DealRecord{UserID: ids[h.user], PersonaID: p.ID, Scenario: p.Scenario, Lang: sim.LangEN, Seed: seed}
		if err := deals.CreateDeal(ctx, rec); err != nil {
			t.Fatalf("seed deal: %v", err)
		}
		d, err := sim.NewDeal(ear, p, sc, sim.DealConfig{Seed: seed, Lang: sim.LangEN, Rules: sim.DefaultRules(), Weights: sim.DefaultWeights()})
		if err != nil {
			t.Fatal(err)
		}
		seq := 0
		apply := func(e sim.Event, f func() (sim.Reply, error)) {
			t.Helper()
			if _, err := f(); err != nil {
				t.Fatalf("seed deal %d: %s: %v", i, e.Kind, err)
			}
			seq++
			at = at.Add(20 * time.Second)
			e.Seq, e.At = seq, at
			if err := deals.AppendEvent(ctx, rec.ID, e, d.Scorecard()); err != nil {
				t.Fatalf("seed deal %d: %v", i, err)
			}
		}
		for c, lines := range h.calls {
			goal := h.goals[c]
			apply(sim.Event{Kind: sim.EventDial, Goal: goal}, func() (sim.Reply, error) { return d.Dial(goal) })
			for _, l := range lines {
				if !d.InCall() {
					break
				}
				apply(sim.Event{Kind: sim.EventSay, Text: l}, func() (sim.Reply, error) { return d.Say(l) })
			}
			if d.InCall() {
				apply(sim.Event{Kind: sim.EventHangup}, d.Hangup)
			}
		}
		if h.open {
			continue
		}
		apply(sim.Event{Kind: sim.EventFinish}, d.Finish)
		if d.Scorecard().Outcome == "deal" {
			seeded.closed++
		}
		if seeded.floor == "" && slices.ContainsFunc(d.Scorecard().Breakdown, func(l sim.ScoreLine) bool { return l.Item == "floor" }) {
			seeded.floor = rec.ID
		}
	}
	if seeded.floor == "" {
		t.Fatal("no seeded deal is held at 0 by the floor")
	}
	return seeded
}
