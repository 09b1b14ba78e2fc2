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
	d, err := newDeal(cat, ear, cfg, *persona, *seed, lang)
	if err != nil {
		return fmt.Errorf("chat: %w", err)
	}
	c := &chat{d: d, cat: cat, in: bufio.NewScanner(env.Stdin), out: env.Stdout, lang: d.Scorecard().Lang}
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

// chat is a terminal practice session: one deal, as many calls as it takes.
type chat struct {
	d      *sim.Deal
	cat    *sim.Catalog
	in     *bufio.Scanner
	out    io.Writer
	lang   sim.Lang
	script strings.Builder
}

func (c *chat) say(key string, args ...any) {
	fmt.Fprintf(c.out, chatText[c.lang][key]+"\n", args...)
}

func (c *chat) run(ctx context.Context) error {
	p, L := c.d.Persona(), c.lang
	fmt.Fprintf(c.out, chatText[L]["intro"], p.Profile.Name.In(L), p.Profile.Role.In(L), p.Profile.Company.In(L), p.Profile.Summary.In(L))
	c.say("help")
	if err := c.dial(""); err != nil {
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
			if !c.d.InCall() {
				c.say("nocall")
				continue
			}
			c.d.Hangup()
			c.say("youhung")
		case line == "/call" || strings.HasPrefix(line, "/call "):
			if c.d.InCall() {
				c.say("incall")
				continue
			}
			if err := c.dial(strings.TrimSpace(strings.TrimPrefix(line, "/call"))); err != nil {
				return err
			}
		case line == "/score":
			writeScorecard(c.out, c.d.Scorecard(), c.d.Persona(), false)
		case line == "/end" || line == "/quit":
			return c.finish()
		case strings.HasPrefix(line, "/"):
			c.say("help")
		default:
			if !c.d.InCall() {
				c.say("nocall")
				continue
			}
			r, err := c.d.Say(line)
			if err != nil {
				fmt.Fprintln(c.out, sim.ErrorMessage(err))
				continue
			}
			c.script.WriteString(line + "\n")
			fmt.Fprintf(c.out, "%s: %s\n", p.Profile.Name.In(L), r.Text)
			switch r.EndedBy {
			case sim.EndedByCustomer:
				c.say("hungup")
			case sim.EndedByLimit:
				c.say("limit")
			}
		}
	}
	if err := c.in.Err(); err != nil {
		return fmt.Errorf("read input: %w", err)
	}
	return c.finish()
}

// dial asks for the goal unless given, then dials.
func (c *chat) dial(goal string) error {
	def := c.d.NextGoal()
	for goal == "" {
		fmt.Fprintf(c.out, chatText[c.lang]["goal"], def)
		if !c.in.Scan() {
			goal = string(def)
			break
		}
		goal = strings.TrimSpace(c.in.Text())
		if goal == "" {
			goal = string(def)
		}
	}
	g, err := sim.ParseMilestone(strings.ToLower(goal))
	if err != nil {
		c.say("badgoal")
		return c.dial("")
	}
	if c.d.Calls() > 0 {
		c.script.WriteString("---\n")
	}
	c.script.WriteString("# goal: " + string(g) + "\n")
	r, err := c.d.Dial(g)
	if err != nil {
		return err
	}
	sc := c.d.Scorecard()
	c.say("dial", r.Call, g, sc.Milestones[g].Label)
	fmt.Fprintf(c.out, "%s: %s\n", c.d.Persona().Profile.Name.In(c.lang), r.Text)
	return nil
}

func (c *chat) finish() error {
	if _, err := c.d.Finish(); err != nil {
		return err
	}
	s := c.d.Scorecard()
	if err := writeScorecard(c.out, s, c.d.Persona(), false); err != nil {
		return err
	}
	c.say("seed", s.Seed, s.Persona, s.Seed, s.Lang)
	return nil
}
