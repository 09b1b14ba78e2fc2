package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/callsim/callsim/sim"
)

// ui holds the terminal's words in both languages.
var ui = map[sim.Lang]map[string]string{
	sim.LangEN: {
		"scorecard": "SCORECARD", "score": "Score", "outcome": "Outcome", "milestones": "Milestones",
		"reached": "reached", "not": "not reached", "notreq": "not required", "commitment": "Commitment",
		"surfaceoffer": "reached on the surface need only (no motive yet: the time will be postponed)",
		"price":        "price", "time": "time", "yes": "yes", "no": "no", "postponed": "postponed",
		"calls": "Calls", "call": "Call", "goal": "goal", "turns": "turns", "ended": "ended by",
		"stages": "stages", "talk": "Talk", "share": "your share of talk", "ref": "reference",
		"questions": "questions", "discovery": "discovery questions", "findings": "Findings",
		"advice": "advice", "breakdown": "How the score adds up", "hidden": "The customer's hidden state",
		"urgency": "urgency", "motive": "motive", "none": "(none — not a fit)", "surface": "surface need",
		"budget": "budget", "alone": "decides alone", "objections": "objections", "transcript": "Transcript",
		"you": "You", "duration": "duration", "at": "at",
		"trainee": "you", "customer": "customer", "limit": "time limit",
		"good": "good", "info": "note", "warning": "warning", "problem": "problem",
		"opening": "opening", "discovery_stage": "discovery", "solution": "solution", "commitment_stage": "commitment",
		"need": "need", "offer": "offer", "deal": "deal", "qualified_out": "qualified out",
		"low": "low", "medium": "medium", "high": "high", "speaking": "speaking time (estimated)",
		"scaled": "scaled to this call's speaking time",
	},
	sim.LangZH: {
		"scorecard": "评分卡", "score": "得分", "outcome": "结果", "milestones": "里程碑",
		"reached": "已达到", "not": "未达到", "notreq": "不需要", "commitment": "承诺",
		"surfaceoffer": "仅在表面需求上达到（还没有动机：时间会被推迟）",
		"price":        "价格", "time": "时间", "yes": "是", "no": "否", "postponed": "推迟",
		"calls": "通话", "call": "第几通", "goal": "目标", "turns": "轮", "ended": "结束方",
		"stages": "阶段", "talk": "说话", "share": "你的说话比例", "ref": "参考",
		"questions": "提问", "discovery": "挖需求提问", "findings": "发现的问题与建议",
		"advice": "建议", "breakdown": "得分构成", "hidden": "客户的隐藏信息",
		"urgency": "紧迫程度", "motive": "动机", "none": "（无——不是合适的客户）", "surface": "表面需求",
		"budget": "预算", "alone": "自己能做决定", "objections": "异议", "transcript": "通话记录",
		"you": "你", "duration": "时长", "at": "于",
		"trainee": "你", "customer": "客户", "limit": "时限",
		"good": "做得好", "info": "提示", "warning": "注意", "problem": "问题",
		"opening": "开场", "discovery_stage": "挖需求", "solution": "方案", "commitment_stage": "承诺",
		"need": "需求", "offer": "方案", "deal": "成交", "qualified_out": "确认不合适",
		"low": "低", "medium": "中", "high": "高", "speaking": "说话时长（估算）",
		"scaled": "按本通电话的说话时长折算",
	},
}

func word(lang sim.Lang, key string) string {
	if w, ok := ui[lang][key]; ok {
		return w
	}
	return ui[sim.LangEN][key]
}

// writeScorecard prints a scorecard for a person in the terminal.
func writeScorecard(out io.Writer, s *sim.Scorecard, p *sim.Persona, transcript bool) error {
	w := bufio.NewWriter(out)
	L := s.Lang
	t := func(k string) string { return word(L, k) }
	// Stage, milestone and outcome names in the reader's language.
	stage := func(st sim.Stage) string {
		switch st {
		case sim.StageDiscovery:
			return t("discovery_stage")
		case sim.StageCommitment:
			return t("commitment_stage")
		}
		return t(string(st))
	}
	ms := func(m string) string {
		if v, ok := ui[L][m]; ok {
			return v
		}
		return m
	}
	yn := func(b bool) string {
		if b {
			return t("yes")
		}
		return t("no")
	}
	name := p.Profile.Name.In(L)
	fmt.Fprintf(w, "\n══ %s · %s (%s) ══\n", t("scorecard"), name, p.ID)
	fmt.Fprintf(w, "%s: %d/100   %s: %s\n\n", t("score"), s.Score, t("outcome"), ms(s.Outcome))
	fmt.Fprintf(w, "%s\n", t("milestones"))
	for _, m := range sim.Milestones {
		r := s.Milestones[m]
		switch {
		case !r.Required && !r.Reached:
			fmt.Fprintf(w, "  ○ %-6s %s — %s\n", ms(string(m)), r.Label, t("notreq"))
		case r.Reached && r.Surface:
			fmt.Fprintf(w, "  ◐ %-6s %s — %s %s %d.%d: “%s”\n", ms(string(m)), r.Label, t("surfaceoffer"), t("at"), r.Call, r.Turn, r.Quote)
		case r.Reached:
			fmt.Fprintf(w, "  ✔ %-6s %s — %s %s %d.%d: “%s”\n", ms(string(m)), r.Label, t("reached"), t("at"), r.Call, r.Turn, r.Quote)
		default:
			fmt.Fprintf(w, "  ✘ %-6s %s — %s\n", ms(string(m)), r.Label, t("not"))
		}
	}
	c := s.Commitment
	fmt.Fprintf(w, "%s: %s %s, %s %s", t("commitment"), t("price"), yn(c.Price), t("time"), yn(c.Time))
	if c.Postponed > 0 {
		fmt.Fprintf(w, " (%s ×%d)", t("postponed"), c.Postponed)
	}
	fmt.Fprintf(w, "\n\n%s: %d, %s %d, %s %.0fs\n", t("calls"), s.Calls, t("turns"), s.Turns, t("speaking"), s.DurationSec)
	for _, cd := range s.CallsDetail {
		mark := "✘"
		if cd.GoalReached {
			mark = "✔"
		}
		stages := make([]string, len(cd.Stages))
		for i, st := range cd.Stages {
			stages[i] = stage(st)
		}
		fmt.Fprintf(w, "  #%d %s %s %s (%s) · %d %s · %s %s · %s: %s\n", cd.Call, mark, t("goal"), ms(string(cd.Goal)), cd.GoalLabel,
			cd.Turns, t("turns"), t("ended"), t(cd.EndedBy), t("stages"), strings.Join(stages, " → "))
	}
	tk := s.Talk
	fmt.Fprintf(w, "\n%s: %s %.0f%% (%s %.0f%%), %s %d, %s %d (%s %d–%d, %s)\n", t("talk"), t("share"), tk.TraineeShare*100,
		t("ref"), tk.ReferenceShare*100, t("questions"), tk.Questions, t("discovery"), tk.Discovery, t("ref"), tk.ReferenceMin, tk.ReferenceMax, t("scaled"))
	if len(s.Findings) > 0 {
		fmt.Fprintf(w, "\n%s\n", t("findings"))
		for _, f := range s.Findings {
			pts := ""
			if f.Points != 0 {
				pts = fmt.Sprintf(" (%d)", f.Points)
			}
			fmt.Fprintf(w, "  [%s] %s @%d.%d%s: %s\n      → %s\n", t(f.Severity), f.Code, f.Call, f.Turn, pts, f.Message, f.Advice)
		}
	}
	fmt.Fprintf(w, "\n%s\n", t("breakdown"))
	for _, b := range s.Breakdown {
		if b.Max > 0 {
			fmt.Fprintf(w, "  %3d/%-3d %s\n", b.Points, b.Max, b.Label)
		} else if b.Points != 0 || b.Item == "penalties" {
			fmt.Fprintf(w, "  %3d     %s\n", b.Points, b.Label)
		}
	}
	if h := s.Hidden; h != nil {
		fmt.Fprintf(w, "\n%s\n", t("hidden"))
		motive := h.Motive
		if motive == "" {
			motive = t("none")
		}
		fmt.Fprintf(w, "  %s: %s\n  %s: %s\n  %s: %s\n  %s: %g (max %g)\n  %s: %s\n  %s: %d\n",
			t("urgency"), t(string(h.Urgency)), t("motive"), motive, t("surface"), h.SurfaceNeed,
			t("budget"), h.Budget, h.MaxBudget, t("alone"), yn(h.DecidesAlone), t("objections"), len(h.Objections))
		for _, o := range h.Objections {
			mark := "·"
			switch {
			case o.Resolved:
				mark = "✔"
			case o.Raised:
				mark = "✘"
			}
			fmt.Fprintf(w, "    %s %s (%s): “%s”\n", mark, o.ID, o.Kind, o.Line)
		}
	}
	if transcript {
		fmt.Fprintf(w, "\n%s\n", t("transcript"))
		for _, tt := range s.Transcript {
			if tt.Trainee != "" {
				fmt.Fprintf(w, "  %d.%d %s: %s  %v\n", tt.Call, tt.Turn, t("you"), tt.Trainee, tt.Acts)
			}
			if tt.Customer != "" {
				fmt.Fprintf(w, "  %d.%d %s: %s\n", tt.Call, tt.Turn, name, tt.Customer)
			}
		}
	}
	return w.Flush()
}
