package sqlite

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/callsim/callsim/sim"
)

// TestSurvivesKill runs a child process that appends events and reports
// each one acknowledged, kills it with SIGKILL mid-stream, and checks that
// every acknowledged event, with its scorecard, is in the file.
func TestSurvivesKill(t *testing.T) {
	if path := os.Getenv("CALLSIM_SQLITE_KILL_CHILD"); path != "" {
		killChild(path, os.Getenv("CALLSIM_SQLITE_KILL_DEAL"))
		return
	}
	if testing.Short() {
		t.Skip("starts a child process")
	}
	ctx := context.Background()
	e := MustOpen(t)
	alice := e.MustUser(t, "alice", sim.RoleTrainee, "")
	d := e.MustDeal(t, alice.ID, "p1")
	e.db.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestSurvivesKill$", "-test.count=1")
	cmd.Env = append(os.Environ(), "CALLSIM_SQLITE_KILL_CHILD="+e.path, "CALLSIM_SQLITE_KILL_DEAL="+d.ID)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	const enough = 25
	acked := 0
	var lines []string
	sc := bufio.NewScanner(stdout)
	for acked < enough && sc.Scan() {
		lines = append(lines, sc.Text())
		if n, ok := strings.CutPrefix(sc.Text(), "acked "); ok {
			acked, _ = strconv.Atoi(n)
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	if acked < enough {
		t.Fatalf("child acknowledged %d events before it stopped; output:\n%s", acked, strings.Join(lines, "\n"))
	}

	e2 := mustOpenAt(t, e.path, e.clock)
	events, err := e2.deals.Events(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) < acked {
		t.Errorf("after kill -9: %d events stored; want at least the %d acknowledged", len(events), acked)
	}
	got, err := e2.deals.FindDealByID(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Scorecard == nil || got.Scorecard.Turns != len(events) {
		t.Errorf("after kill -9: scorecard of turn %v with %d events; want the scorecard of the last event", got.Scorecard, len(events))
	}
	// The deal goes on where it stopped.
	if err := e2.deals.AppendEvent(ctx, d.ID, sim.Event{Seq: len(events) + 1, Kind: sim.EventSay, Text: "again"}, nil); err != nil {
		t.Errorf("AppendEvent after kill -9 = %v", err)
	}
}

// killChild appends events to a deal until it is killed (or 30 s pass),
// printing "acked N" once event N is committed.
func killChild(path, dealID string) {
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	deals := NewDealService(db)
	deadline := time.Now().Add(30 * time.Second)
	for seq := 1; time.Now().Before(deadline); seq++ {
		if err := deals.AppendEvent(ctx, dealID, sim.Event{Seq: seq, Kind: sim.EventSay, Text: "line"}, card(seq%100, 1, seq, nil)); err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Printf("acked %d\n", seq)
	}
	os.Exit(0)
}
