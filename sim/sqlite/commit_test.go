package sqlite

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/callsim/callsim/sim"
)

// TestGroupCommit: appends from many deals at once share transactions, and
// each append returns once its own has committed.
func TestGroupCommit(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	u := e.MustUser(t, "alice", sim.RoleTrainee, "east")
	const deals, turns = 20, 15
	ids := make([]string, deals)
	for i := range ids {
		ids[i] = e.MustDeal(t, u.ID, "p1").ID
	}
	var batches, appends int
	var mu sync.Mutex
	e.db.commits.afterCommit = func(n int) {
		mu.Lock()
		batches, appends = batches+1, appends+n
		mu.Unlock()
	}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Go(func() {
			for seq := 1; seq <= turns; seq++ {
				err := e.deals.AppendTurn(ctx, id, sim.Event{Seq: seq, Kind: sim.EventSay, Text: "line"},
					sim.DealSummary{Outcome: "none", Turns: seq, Score: seq})
				if err != nil {
					t.Errorf("AppendTurn(%s, %d) = %v", id, seq, err)
					return
				}
				// Committed before it returned: a reader sees it.
				if d, err := e.deals.FindDealByID(ctx, id); err != nil || d.LastSeq != seq || d.Summary.Turns != seq {
					t.Errorf("after AppendTurn(%s, %d): deal %+v, %v", id, seq, d, err)
					return
				}
			}
		})
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if appends != deals*turns {
		t.Errorf("%d appends committed; want %d", appends, deals*turns)
	}
	if batches >= appends {
		t.Errorf("%d transactions for %d appends; want appends to share them", batches, appends)
	}
	t.Logf("%d appends in %d transactions", appends, batches)
}

// TestGroupCommitRefusesOne: an append that cannot be stored (its seq is
// taken) is refused alone; the others of its batch are committed.
func TestGroupCommitRefusesOne(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	u := e.MustUser(t, "alice", sim.RoleTrainee, "east")
	a, b := e.MustDeal(t, u.ID, "p1"), e.MustDeal(t, u.ID, "p1")
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i, x := range []struct {
		id  string
		seq int
	}{{a.ID, 1}, {a.ID, 1}, {b.ID, 1}} {
		wg.Go(func() {
			errs[i] = e.deals.AppendEvent(ctx, x.id, sim.Event{Seq: x.seq, Kind: sim.EventDial, Goal: sim.MilestoneNeed}, nil)
		})
	}
	wg.Wait()
	conflicts := 0
	for _, err := range errs {
		if sim.ErrorCode(err) == sim.ECONFLICT {
			conflicts++
		} else if err != nil {
			t.Errorf("append: %v", err)
		}
	}
	if conflicts != 1 {
		t.Errorf("errors %v; want exactly one conflict", errs)
	}
	for _, id := range []string{a.ID, b.ID} {
		if evs, _ := e.deals.Events(ctx, id); len(evs) != 1 {
			t.Errorf("deal %s has %d events; want 1", id, len(evs))
		}
	}
}

// TestGroupCommitSurvivesKill runs a child process whose appenders report
// each append acknowledged; the child kills itself with SIGKILL right after
// a batch has committed and before that batch is answered. Every
// acknowledged append is in the file.
func TestGroupCommitSurvivesKill(t *testing.T) {
	if path := os.Getenv("CALLSIM_GROUP_KILL_CHILD"); path != "" {
		groupKillChild(path, strings.Split(os.Getenv("CALLSIM_GROUP_KILL_DEALS"), ","))
		return
	}
	if testing.Short() {
		t.Skip("starts a child process")
	}
	ctx := context.Background()
	e := MustOpen(t)
	u := e.MustUser(t, "alice", sim.RoleTrainee, "")
	var ids []string
	for range 8 {
		ids = append(ids, e.MustDeal(t, u.ID, "p1").ID)
	}
	e.db.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestGroupCommitSurvivesKill$", "-test.count=1")
	cmd.Env = append(os.Environ(), "CALLSIM_GROUP_KILL_CHILD="+e.path, "CALLSIM_GROUP_KILL_DEALS="+strings.Join(ids, ","))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := map[string]int{}
	killed := false
	var lines []string
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		lines = append(lines, sc.Text())
		switch {
		case len(f) == 3 && f[0] == "acked":
			n, _ := strconv.Atoi(f[2])
			acked[f[1]] = max(acked[f[1]], n)
		case len(f) > 0 && f[0] == "killing":
			killed = true
		}
	}
	err = cmd.Wait()
	if !killed || err == nil {
		t.Fatalf("the child was not killed after a commit (%v); output:\n%s", err, strings.Join(lines[max(0, len(lines)-20):], "\n"))
	}
	total := 0
	for _, n := range acked {
		total += n
	}
	if total < 50 {
		t.Fatalf("only %d appends acknowledged before the kill", total)
	}

	e2 := mustOpenAt(t, e.path, e.clock)
	for _, id := range ids {
		events, err := e2.deals.Events(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) < acked[id] {
			t.Errorf("deal %s after kill -9: %d events stored; want at least the %d acknowledged", id, len(events), acked[id])
		}
		d, err := e2.deals.FindDealByID(ctx, id)
		if err != nil || d.LastSeq != len(events) || d.Summary.Turns != len(events) {
			t.Errorf("deal %s after kill -9: summary of turn %d, last seq %d, %d events; want them equal", id, d.Summary.Turns, d.LastSeq, len(events))
		}
	}
	t.Logf("%d appends acknowledged before the kill", total)
}

// groupKillChild appends to the deals from one goroutine each, printing
// "acked DEAL N" once event N is acknowledged, and kills itself after the
// 30th batch has committed, before it is answered.
func groupKillChild(path string, ids []string) {
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	var out sync.Mutex
	batches := 0
	db.commits.afterCommit = func(int) {
		if batches++; batches == 30 {
			out.Lock()
			fmt.Println("killing")
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
	}
	deals := NewDealService(db)
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Go(func() {
			for seq := 1; ; seq++ {
				if err := deals.AppendTurn(ctx, id, sim.Event{Seq: seq, Kind: sim.EventSay, Text: "line"},
					sim.DealSummary{Outcome: "none", Turns: seq}); err != nil {
					fmt.Println("error:", err)
					os.Exit(1)
				}
				out.Lock()
				fmt.Printf("acked %s %d\n", id, seq)
				out.Unlock()
			}
		})
	}
	wg.Wait()
}

// TestRecordVoice keeps what the LLM voice did on the event it answers and
// counts it on the deal, without touching the deal's turns.
func TestRecordVoice(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	u := e.MustUser(t, "alice", sim.RoleTrainee, "east")
	d := e.MustDeal(t, u.ID, "p1")
	e.MustPlay(t, d.ID, card(40, 1, 2, nil))
	if err := e.deals.RecordVoice(ctx, d.ID, 1, sim.VoiceNote{Shown: "Hello there, who's calling?", Millis: 300}); err != nil {
		t.Fatal(err)
	}
	if err := e.deals.RecordVoice(ctx, d.ID, 2, sim.VoiceNote{Reason: "amount", Millis: 450}); err != nil {
		t.Fatal(err)
	}
	if err := e.deals.RecordVoice(ctx, d.ID, 9, sim.VoiceNote{Shown: "x"}); sim.ErrorCode(err) != sim.ENOTFOUND {
		t.Errorf("RecordVoice on no event = %v; want not found", err)
	}
	evs, _ := e.deals.Events(ctx, d.ID)
	if evs[0].Shown != "Hello there, who's calling?" || evs[0].VoiceMillis != 300 || evs[1].VoiceReason != "amount" || evs[1].Shown != "" {
		t.Errorf("events after RecordVoice: %+v", evs)
	}
	got, _ := e.deals.FindDealByID(ctx, d.ID)
	if s := got.Summary; s.VoicedTurns != 1 || s.VoiceDropped != 1 || s.VoiceMillis != 750 || got.LastSeq != 2 {
		t.Errorf("deal after RecordVoice: %+v, last seq %d", s, got.LastSeq)
	}
}
