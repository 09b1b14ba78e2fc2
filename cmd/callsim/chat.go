package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/callsim/callsim/sim"
	"github.com/callsim/callsim/sim/live"
)

var chatText = map[sim.Lang]map[string]string{
	sim.LangEN: {
		"intro":   "You are calling %s, %s at %s.\n%s\n",
		"help":    "Type your lines. Commands: /hangup ends the call, /call [need|offer|deal] dials a follow-up, /score shows the scorecard so far, /end ends the deal, /help.",
		"goal":    "Goal milestone for this call — need, offer or deal [%s]: ",
		"badgoal": "Choose need, offer or deal.",
		"dial":    "☎ Call %d — goal: %s (%s)",
		"hungup":  "☎ The customer hung up.",
		"youhung": "☎ You hung up.",
		"limit":   "☎ The call ran out of time.",
		"nocall":  "No call in progress: /call dials a follow-up, /end ends the deal.",
		"incall":  "Hang up first (/hangup).",
		"seed":    "(seed %d — replay this deal with: callsim replay --persona %s --seed %d --lang %s SCRIPT)",
		"saved":   "Script saved to %s",
	},
	sim.LangZH: {
		"intro":   "你要打电话给%s，%s，%s。\n%s\n",
		"help":    "直接输入你要说的话。命令：/hangup 挂断，/call [need|offer|deal] 再打一通跟进电话，/score 查看当前评分，/end 结束这单，/help 帮助。",
		"goal":    "这通电话的目标里程碑 — need、offer 或 deal [%s]：",
		"badgoal": "请选择 need、offer 或 deal。",
		"dial":    "☎ 第%d通电话 — 目标：%s（%s）",
		"hungup":  "☎ 客户挂断了电话。",
		"youhung": "☎ 你挂断了电话。",
		"limit":   "☎ 通话时间到。",
		"nocall":  "当前没有通话：/call 再打一通，/end 结束这单。",
		"incall":  "请先挂断（/hangup）。",
		"seed":    "（种子 %d — 可用以下命令重放：callsim replay --persona %s --seed %d --lang %s SCRIPT）",
		"saved":   "脚本已保存到 %s",
	},
}

func runChat(ctx context.Context, args []string, env Env) error {
	fset := flag.NewFlagSet("chat", flag.ContinueOnError)
	cfgPath := configFlags(fset)
	fset.String("personas", "", "directory of extra persona files")
	persona := fset.String("persona", "", "persona id (see callsim personas)")
	langFlag := fset.String("lang", "", "language: zh or en (default: the persona's first)")
	seed := fset.Int64("seed", 0, "seed (default: random, printed so the deal can be replayed)")
	save := fset.String("save", "", "write the deal as a replay script to this file")
	if err := parseFlags(fset, args, env); err != nil {
		return err
	}
	if *persona == "" {
		return fmt.Errorf("chat: --persona is required (see callsim personas): %w", errUsage)
	}
	if fset.NArg() > 0 {
		return fmt.Errorf("chat: unexpected argument %q: %w", fset.Arg(0), errUsage)
	}
	lang, err := customerLang("chat", *langFlag)
	if err != nil {
		return err
	}
	cfg, err := loadConfig(fset, *cfgPath, env)
	if err != nil {
		return err
	}
	cat, ear, err := loadCatalog(ctx, cfg, env)
	if err != nil {
		return err
	}
	if *seed == 0 {
		var b [8]byte
		rand.Read(b[:])
		*seed = int64(binary.LittleEndian.Uint64(b[:]) >> 1)
	}
	p, scen, err := cat.Persona(*persona)
	if err != nil {
		return fmt.Errorf("chat: %s (known: %s)", sim.ErrorMessage(err), strings.Join(cat.PersonaIDs(), ", "))
	}
	if lang == "" {
		lang = p.Languages[0]
	}
	// The terminal drives its deal through the same live-call service as
	// the browser, with a store that keeps nothing.
	svc := live.New(live.Config{
		Store: live.NewMemoryStore(), Catalog: func() *sim.Catalog { return cat }, Ear: ear,
		Rules: cfg.Rules(), Weights: cfg.Weights(), NewID: func() string { return "terminal" },
		NewSeed: func() int64 { return *seed },
	})
	defer svc.Close(context.WithoutCancel(ctx))
	ss := svc.Open(&sim.User{ID: 1, Username: "you", Role: sim.RoleTrainee}, "", 64)
	defer ss.Close()
	c := &chat{svc: svc, ss: ss, p: p, lang: lang, seed: *seed, in: bufio.NewScanner(env.Stdin), out: env.Stdout,
		next: sim.MilestoneNeed}
	if !scen.Discovery {
		c.next = sim.MilestoneOffer
	}
	c.in.Buffer(make([]byte, 0, 4096), sim.MaxScriptLine)
	if err := c.run(ctx); err != nil {
		return fmt.Errorf("chat: %w", err)
	}
	if *save != "" {
		if err := os.WriteFile(*save, []byte(c.script.String()), 0o644); err != nil {
			return fmt.Errorf("chat: save script: %w", err)
		}
		c.say("saved", *save)
	}
	return nil
}

// chat is a terminal practice session: one deal, as many calls as it
// takes, driven through a live session like a browser's.
type chat struct {
	svc    *live.Service
	ss     *live.Session
	p      *sim.Persona
	lang   sim.Lang
	seed   int64
	rec    *sim.DealRecord
	in     *bufio.Scanner
	out    io.Writer
	script strings.Builder
	n      int // commands sent, for their ids

	inCall bool
	over   bool
	card   *sim.Scorecard // the last scorecard received
	next   sim.Milestone  // the first milestone not reached yet
}

func (c *chat) say(key string, args ...any) {
	fmt.Fprintf(c.out, chatText[c.lang][key]+"\n", args...)
}

func (c *chat) run(ctx context.Context) error {
	p, L := c.p, c.lang
	fmt.Fprintf(c.out, chatText[L]["intro"], p.Profile.Name.In(L), p.Profile.Role.In(L), p.Profile.Company.In(L), p.Profile.Summary.In(L))
	c.say("help")
	if err := c.dial(ctx, ""); err != nil {
		return err
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		fmt.Fprint(c.out, "> ")
		if !c.in.Scan() {
			break
		}
		line := strings.TrimSpace(c.in.Text())
		switch {
		case line == "":
			continue
		case line == "/help":
			c.say("help")
		case line == "/hangup":
			if !c.inCall {
				c.say("nocall")
				continue
			}
			if err := c.do(ctx, func(re string) { c.ss.Hangup(re, nil) }); err != nil {
				return err
			}
		case line == "/call" || strings.HasPrefix(line, "/call "):
			if c.inCall {
				c.say("incall")
				continue
			}
			if err := c.dial(ctx, strings.TrimSpace(strings.TrimPrefix(line, "/call"))); err != nil {
				return err
			}
		case line == "/score":
			sc, _, err := c.svc.Scorecard(ctx, c.rec)
			if err != nil {
				return err
			}
			writeScorecard(c.out, sc, c.p, false)
		case line == "/end" || line == "/quit":
			return c.finish(ctx)
		case strings.HasPrefix(line, "/"):
			c.say("help")
		default:
			if !c.inCall {
				c.say("nocall")
				continue
			}
			c.script.WriteString(line + "\n")
			if err := c.do(ctx, func(re string) { c.ss.Say(re, nil, line) }); err != nil {
				return err
			}
		}
	}
	if err := c.in.Err(); err != nil {
		return fmt.Errorf("read input: %w", err)
	}
	return c.finish(ctx)
}

// dial asks for the goal unless given, then dials (the first call starts
// the deal).
func (c *chat) dial(ctx context.Context, goal string) error {
	for goal == "" {
		fmt.Fprintf(c.out, chatText[c.lang]["goal"], c.next)
		if !c.in.Scan() {
			goal = string(c.next)
			break
		}
		goal = strings.TrimSpace(c.in.Text())
		if goal == "" {
			goal = string(c.next)
		}
	}
	g, err := sim.ParseMilestone(strings.ToLower(goal))
	if err != nil {
		c.say("badgoal")
		return c.dial(ctx, "")
	}
	if c.rec != nil {
		c.script.WriteString("---\n")
	}
	c.script.WriteString("# goal: " + string(g) + "\n")
	if c.rec == nil {
		return c.do(ctx, func(re string) {
			c.ss.Start(ctx, re, live.StartOptions{Persona: c.p.ID, Lang: c.lang, Seed: &c.seed, Goal: g})
		})
	}
	return c.do(ctx, func(re string) { c.ss.Dial(re, nil, g) })
}

func (c *chat) finish(ctx context.Context) error {
	if !c.over {
		if err := c.do(ctx, func(re string) { c.ss.Finish(re, nil) }); err != nil {
			return err
		}
	}
	if c.card == nil {
		return fmt.Errorf("no scorecard")
	}
	if err := writeScorecard(c.out, c.card, c.p, false); err != nil {
		return err
	}
	c.say("seed", c.card.Seed, c.card.Persona, c.card.Seed, c.card.Lang)
	return nil
}

// do sends one command and prints what answers it, until its last event.
func (c *chat) do(ctx context.Context, send func(re string)) error {
	c.n++
	re := fmt.Sprintf("t%d", c.n)
	send(re)
	name := c.p.Profile.Name.In(c.lang)
	for {
		var e live.Event
		select {
		case e = <-c.ss.Events():
		case <-c.ss.Gone():
			return fmt.Errorf("the session ended")
		case <-ctx.Done():
			return ctx.Err()
		}
		switch e := e.(type) {
		case live.DealOpened:
			c.rec = e.Record
		case live.CallStarted:
			c.inCall = true
			c.say("dial", e.Call, e.Goal, e.GoalLabel)
			fmt.Fprintf(c.out, "%s: %s\n", name, e.Text)
			if e.Re == re {
				return nil
			}
		case live.Replied:
			fmt.Fprintf(c.out, "%s: %s\n", name, e.Reply.Text)
			if !e.Reply.Ended {
				return nil
			}
		case live.CallEnded:
			c.inCall = false
			c.over = e.DealOver
			switch e.EndedBy {
			case sim.EndedByCustomer:
				c.say("hungup")
			case sim.EndedByLimit:
				c.say("limit")
			default:
				c.say("youhung")
			}
		case live.ScorecardReady:
			c.card = e.Scorecard
			c.over = c.over || e.Scorecard.Over
			c.next = sim.MilestoneDeal
			for _, m := range sim.Milestones {
				if r := e.Scorecard.Milestones[m]; r != nil && r.Required && !r.Reached {
					c.next = m
					break
				}
			}
			return nil
		case live.Failed:
			fmt.Fprintln(c.out, e.Message)
			if e.Re == re || e.Fatal {
				return nil
			}
		}
	}
}
