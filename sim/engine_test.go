package sim_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	. "github.com/callsim/callsim/sim"
)

// lines are the trainee lines the behaviour tests play, in both languages.
var lines = map[Lang]map[string]string{
	LangEN: {
		"open":        "Hi, this is Anna from Acme Training. I'm calling about your sales team's results, do you have two minutes?",
		"situation":   "How many people are on your sales team right now?",
		"situation2":  "Which CRM do you use today?",
		"problem":     "What's the biggest challenge your team has with phone sales?",
		"whynow":      "Why is it important to fix this now, is there a deadline?",
		"implication": "What happens if nothing changes and the team misses its target this quarter?",
		"pitch":       "Our course is built to lift your team's results against that target within a month.",
		"vague":       "We are the leading training company in the country with twenty years of experience.",
		"summary":     "So if I understand you right, the target went up and you need results by next month?",
		"price":       "The price is 9000 yuan for the whole team.",
		"price_high":  "The price is 12000 yuan for the whole team.",
		"price_mid":   "I can do 10500 yuan for the whole team.",
		"price_low":   "I can do it for 7000 yuan for the whole team.",
		"time":        "Could we start next Monday?",
		"pressure":    "You have to decide right now or you will regret it, stop wasting my time!",
		"rapport":     "I hear you, that sounds really stressful.",
		"close":       "Thanks a lot for your time, goodbye!",
		"nextstep":    "Can I call you back on Thursday to go through a proposal?",
		"objection":   "Don't worry, our trainers are really experienced, you can trust us.",
		"case":        "I understand the worry. Here is a case: a team like yours grew 25%, and we guarantee the results.",
		"boss":        "Let's set up a meeting with your boss on Tuesday, and I'll send the proposal before that.",
		"monologue":   strings.Repeat("We have many great features and we work with many companies and our trainers are experienced and ", 4) + "so on.",
	},
	LangZH: {
		"open":        "您好，我是新锐培训的小李，想跟您聊两分钟销售团队业绩的事，方便吗？",
		"situation":   "您现在销售团队有多少人？",
		"situation2":  "你们现在用的是什么客户管理系统？",
		"problem":     "团队在电话销售上最大的困难是什么？",
		"whynow":      "为什么现在要解决这个问题？有没有时间上的要求？",
		"implication": "如果一直不改变，这个季度完不成目标会怎么样？",
		"pitch":       "我们的课程就是帮团队提升业绩、完成目标的，一个月就能见效。",
		"vague":       "我们是全国领先的培训公司，已经有二十年的经验了。",
		"summary":     "我理解一下，您是说目标提高了，下个月就要看到结果，对吗？",
		"price":       "整个团队的价格是9000元。",
		"price_high":  "整个团队的价格是12000元。",
		"price_mid":   "我可以给您10500元的价格。",
		"price_low":   "好吧，7000元给您。",
		"time":        "我们下周一开始可以吗？",
		"pressure":    "你必须现在就决定，不然你会后悔的，别浪费我时间！",
		"rapport":     "理解，听起来压力真的挺大的。",
		"close":       "谢谢您的时间，再见！",
		"nextstep":    "我周四再给您打电话，一起看一下方案，好吗？",
		"objection":   "您放心，我们的讲师都很有经验，您可以相信我们。",
		"case":        "理解您的担心，给您看个案例：和你们类似的团队业绩提升了25%，而且我们保证效果。",
		"boss":        "那我们周二约您老板一起开个会，我先把方案发给您。",
		"monologue":   strings.Repeat("我们的产品有很多非常好的功能，我们服务过很多家大公司，我们的讲师经验非常丰富，", 4) + "等等。",
	},
}

var langs = []Lang{LangEN, LangZH}

// play plays named lines in a language.
func play(tb testing.TB, d *Deal, lang Lang, names ...string) Reply {
	tb.Helper()
	var r Reply
	for _, n := range names {
		l, ok := lines[lang][n]
		if !ok {
			tb.Fatalf("no line %q", n)
		}
		var err error
		r, err = d.Say(l)
		if err != nil {
			tb.Fatalf("Say(%q): %v", l, err)
		}
	}
	return r
}

func reached(d *Deal, m Milestone) bool { return d.Scorecard().Milestones[m].Reached }

func hasFinding(s *Scorecard, code string) bool {
	return slices.ContainsFunc(s.Findings, func(f Finding) bool { return f.Code == code })
}

// Need: a high-urgency customer tells after one good problem or motive
// question; a medium one needs more probing including why-now; a low one only
// after an implication question; a persona with no motive never.
func TestNeedDependsOnUrgency(t *testing.T) {
	tests := []struct {
		name    string
		persona string
		lines   []string
		atLine  int // 1-based index into lines where need is reached; 0: never
	}{
		{"high tells after one problem question", "fx-high", []string{"open", "problem"}, 2},
		{"high tells after one why-now question", "fx-high", []string{"open", "whynow"}, 2},
		{"high does not tell on a situation question", "fx-high", []string{"open", "situation"}, 0},
		{"medium needs more than one question", "fx-medium", []string{"open", "problem"}, 0},
		{"medium tells after probing with why-now", "fx-medium", []string{"open", "problem", "whynow"}, 3},
		{"medium keeps it without why-now", "fx-medium", []string{"open", "problem", "situation", "situation2"}, 0},
		{"low keeps it after why-now", "fx-low", []string{"open", "problem", "whynow", "situation"}, 0},
		{"low tells after an implication question", "fx-low", []string{"open", "problem", "whynow", "implication"}, 4},
		{"no motive never tells", "fx-nofit", []string{"open", "problem", "whynow", "implication"}, 0},
	}
	for _, lang := range langs {
		for _, tt := range tests {
			t.Run(string(lang)+"/"+tt.name, func(t *testing.T) {
				d := mustDeal(t, tt.persona, lang, MilestoneNeed)
				got := 0
				for i, n := range tt.lines {
					r := play(t, d, lang, n)
					if slices.Contains(r.Milestones, MilestoneNeed) {
						got = i + 1
						if r.Situation != SitMotive {
							t.Errorf("need reached with situation %q; want %q", r.Situation, SitMotive)
						}
					}
				}
				if got != tt.atLine {
					t.Errorf("need reached at line %d; want %d (transcript %s)", got, tt.atLine, dump(d))
				}
			})
		}
	}
}

func dump(d *Deal) string {
	var b strings.Builder
	for _, t := range d.TestTranscript() {
		fmt.Fprintf(&b, "\n  %d.%d %q %v → %s (trust %d, patience %d)", t.Call, t.Turn, t.Trainee, t.Acts, t.Situation, t.Trust, t.Patience)
	}
	return b.String()
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// A pitch before the need, or pressure, lowers trust; the pitch earns a
// surface rejection.
func TestPrematurePitchAndPressureLowerTrust(t *testing.T) {
	for _, lang := range langs {
		t.Run(string(lang)+"/pitch", func(t *testing.T) {
			d := mustDeal(t, "fx-medium", lang, MilestoneNeed)
			play(t, d, lang, "open")
			before := d.TestTrust()
			r := play(t, d, lang, "pitch")
			if r.Situation != SitSurfaceRejection {
				t.Errorf("premature pitch: situation %q; want %q", r.Situation, SitSurfaceRejection)
			}
			if d.TestTrust() >= before {
				t.Errorf("trust after premature pitch = %d; want below %d", d.TestTrust(), before)
			}
			if !hasFinding(d.Scorecard(), FindPrematurePitch) {
				t.Errorf("no %s finding", FindPrematurePitch)
			}
		})
		t.Run(string(lang)+"/pressure", func(t *testing.T) {
			d := mustDeal(t, "fx-medium", lang, MilestoneNeed)
			play(t, d, lang, "open")
			before := d.TestTrust()
			r := play(t, d, lang, "pressure")
			if r.Situation != SitPressureWarn || d.TestTrust() >= before {
				t.Errorf("pressure: situation %q, trust %d (was %d); want %q and lower trust", r.Situation, d.TestTrust(), before, SitPressureWarn)
			}
		})
	}
}

// Low trust: a cold customer dodges discovery questions.
func TestLowTrustDodges(t *testing.T) {
	for _, lang := range langs {
		t.Run(string(lang), func(t *testing.T) {
			d := mustDeal(t, "fx-high", lang, MilestoneNeed)
			d.TestSetTrust(0)
			if r := play(t, d, lang, "problem"); r.Situation != SitLowTrust {
				t.Errorf("situation %q; want %q", r.Situation, SitLowTrust)
			}
		})
	}
}

// A scenario without discovery does not require the need.
func TestNoDiscoveryScenarioSkipsNeed(t *testing.T) {
	for _, lang := range langs {
		t.Run(string(lang), func(t *testing.T) {
			d := mustDeal(t, "fx-simple-low", lang, MilestoneOffer)
			play(t, d, lang, "open")
			r := play(t, d, lang, "vague")
			if !slices.Contains(r.Milestones, MilestoneOffer) {
				t.Fatalf("offer not reached by a pitch in a no-discovery scenario: %s", dump(d))
			}
			s := d.Scorecard()
			if s.Milestones[MilestoneNeed].Required {
				t.Errorf("need is required in a no-discovery scenario")
			}
			if s.Milestones[MilestoneNeed].Reached {
				t.Errorf("need reached without discovery")
			}
		})
	}
}

// Offer: after the need, a pitch in terms of the need, with every objection
// resolved. A pitch that ignores the need does not get there.
func TestOfferNeedsPitchOnNeedAndResolvedObjections(t *testing.T) {
	for _, lang := range langs {
		t.Run(string(lang)+"/vague then on need", func(t *testing.T) {
			d := mustDeal(t, "fx-high", lang, MilestoneOffer)
			play(t, d, lang, "open", "problem")
			if r := play(t, d, lang, "vague"); r.Situation != SitPitchVague || reached(d, MilestoneOffer) {
				t.Errorf("vague pitch: situation %q, offer %v; want %q and no offer", r.Situation, reached(d, MilestoneOffer), SitPitchVague)
			}
			if r := play(t, d, lang, "pitch"); !slices.Contains(r.Milestones, MilestoneOffer) {
				t.Errorf("pitch on need did not reach offer: %s", dump(d))
			}
		})
		t.Run(string(lang)+"/objection", func(t *testing.T) {
			d := mustDeal(t, "fx-objections", lang, MilestoneOffer)
			play(t, d, lang, "open", "problem")
			if r := play(t, d, lang, "pitch"); r.Situation != SitObjection {
				t.Fatalf("pitch: situation %q; want the objection raised: %s", r.Situation, dump(d))
			}
			if r := play(t, d, lang, "objection"); r.Situation != SitObjectionHold || reached(d, MilestoneOffer) {
				t.Errorf("weak answer: situation %q; want %q and no offer", r.Situation, SitObjectionHold)
			}
			r := play(t, d, lang, "case")
			if !slices.Contains(r.Milestones, MilestoneOffer) {
				t.Errorf("answer with a case did not resolve the objection and reach offer: %s", dump(d))
			}
		})
	}
}

// Deal: price and time are recorded separately; price within budget or after
// a concession within the company's limit.
func TestDealRecordsPriceAndTimeSeparately(t *testing.T) {
	for _, lang := range langs {
		t.Run(string(lang)+"/within budget", func(t *testing.T) {
			d := mustDeal(t, "fx-medium", lang, MilestoneDeal)
			play(t, d, lang, "open", "problem", "whynow", "pitch")
			if !reached(d, MilestoneOffer) {
				t.Fatalf("offer not reached: %s", dump(d))
			}
			play(t, d, lang, "price")
			s := d.Scorecard()
			if !s.Commitment.Price || s.Commitment.Time || s.Milestones[MilestoneDeal].Reached {
				t.Errorf("after price: commitment %+v, deal %v; want price only", s.Commitment, s.Milestones[MilestoneDeal].Reached)
			}
			r := play(t, d, lang, "time")
			s = d.Scorecard()
			if !s.Commitment.Time || !slices.Contains(r.Milestones, MilestoneDeal) {
				t.Errorf("after time: commitment %+v; want deal", s.Commitment)
			}
		})
		t.Run(string(lang)+"/concession", func(t *testing.T) {
			d := mustDeal(t, "fx-medium", lang, MilestoneDeal)
			play(t, d, lang, "open", "problem", "whynow", "pitch")
			if r := play(t, d, lang, "price_high"); r.Situation != SitPriceHigh || d.TestCommitment().Price {
				t.Errorf("price above budget: situation %q; want %q", r.Situation, SitPriceHigh)
			}
			play(t, d, lang, "price")
			if !d.TestCommitment().Price || d.TestCommitment().AgreedPrice != 9000 {
				t.Errorf("concession within limit: %+v; want price agreed at 9000", d.TestCommitment())
			}
		})
		t.Run(string(lang)+"/below the floor", func(t *testing.T) {
			d := mustDeal(t, "fx-medium", lang, MilestoneDeal)
			play(t, d, lang, "open", "problem", "whynow", "pitch", "price_low")
			s := d.Scorecard()
			if s.Commitment.Price || !hasFinding(s, FindOverDiscount) {
				t.Errorf("price below the floor: commitment %+v; want no price and %s", s.Commitment, FindOverDiscount)
			}
		})
	}
}

// bossConcernOpen plays a deal with fx-objections up to the price agreed
// and a time proposed, which the boss objection holds up.
func bossConcernOpen(t *testing.T, lang Lang) *Deal {
	t.Helper()
	d := mustDeal(t, "fx-objections", lang, MilestoneDeal)
	play(t, d, lang, "open", "problem", "whynow", "pitch", "case", "price")
	if r := play(t, d, lang, "time"); r.Situation != SitObjection {
		t.Fatalf("time: situation %q; want the boss objection: %s", r.Situation, dump(d))
	}
	return d
}

// A time held up by a concern (the boss must sign) stands once the concern
// is answered, even in a line that also restates the price: the customer
// does not ask "when could we start?" about the time it was just offered,
// nor say it accepts the time twice.
func TestHeldTimeStandsOnceConcernAnswered(t *testing.T) {
	restated := map[Lang]string{
		LangEN: "Understood. At 9000 yuan I'll put together a one-page summary for your manager and join the meeting with him if that helps.",
		LangZH: "明白。9000元的报价我做一页汇报材料给您领导，需要的话我陪您一起去跟他讲。",
	}
	for _, lang := range langs {
		t.Run(string(lang), func(t *testing.T) {
			d := bossConcernOpen(t, lang)
			r := mustSay(t, d, restated[lang])
			if !slices.Contains(r.Milestones, MilestoneDeal) {
				t.Fatalf("concern answered: milestones %v; want the deal: %s", r.Milestones, dump(d))
			}
			if strings.Contains(r.Text, string(SitTimeAsk)) || strings.Contains(r.Text, string(SitTimeAccept)) {
				t.Errorf("reply %q asks for or re-accepts the time the resolved concern already settled", r.Text)
			}
		})
	}
}

// A receptionist who cannot decide says so when the service is presented;
// price and dates past that concern get the concern again, not "not yet";
// a next step with the boss answers it, and that answer is all the offer
// she can give. Nobody accepts a presentation from a caller who has not
// said who they are, even for a product that needs no discovery.
func TestGatekeeperTakesItToTheBoss(t *testing.T) {
	lines := map[Lang]map[string]string{
		LangEN: {"bare pitch": "We deliver water within two hours and clean your dispensers every quarter.",
			"boss": "Could you run it by your boss? I'm happy to set up a quick call with him this week."},
		LangZH: {"bare pitch": "我们两小时送水上门，每季度免费清洗饮水机。",
			"boss": "那麻烦您跟老板说一下？我这周跟他约个电话简单聊聊。"},
	}
	for _, lang := range langs {
		t.Run(string(lang)+"/unknown caller", func(t *testing.T) {
			d := mustDeal(t, "fx-gatekeeper", lang, MilestoneOffer)
			if r := mustSay(t, d, lines[lang]["bare pitch"]); r.Situation != SitNoPurpose {
				t.Errorf("pitch from a caller who never said who they are: situation %q; want %q", r.Situation, SitNoPurpose)
			}
		})
		t.Run(string(lang)+"/goodbye with the step to the boss", func(t *testing.T) {
			d := mustDeal(t, "fx-gatekeeper", lang, MilestoneOffer)
			play(t, d, lang, "open")
			if r := play(t, d, lang, "pitch"); r.Situation != SitObjection {
				t.Fatalf("pitch: situation %q; want the authority concern: %s", r.Situation, dump(d))
			}
			bye := map[Lang]string{LangEN: "Could you ask the owner about it? I'll call you back tomorrow. Bye for now!",
				LangZH: "那您先帮我问问老板，我明天再给您打电话，再见！"}[lang]
			r := mustSay(t, d, bye)
			if !slices.Contains(r.Milestones, MilestoneOffer) || !r.Ended {
				t.Errorf("%q: milestones %v, ended %v; want the offer and the call over: %s", bye, r.Milestones, r.Ended, dump(d))
			}
		})
		t.Run(string(lang)+"/to the boss", func(t *testing.T) {
			d := mustDeal(t, "fx-gatekeeper", lang, MilestoneOffer)
			play(t, d, lang, "open")
			if r := play(t, d, lang, "pitch"); r.Situation != SitObjection {
				t.Fatalf("pitch: situation %q; want the authority concern: %s", r.Situation, dump(d))
			}
			r := play(t, d, lang, "price")
			if r.Situation != SitObjectionHold || !strings.Contains(r.Text, "owner") && !strings.Contains(r.Text, "异议owner") {
				t.Errorf("price past the open concern: %q (%s); want the concern said again", r.Text, r.Situation)
			}
			r = mustSay(t, d, lines[lang]["boss"])
			if !slices.Contains(r.Milestones, MilestoneOffer) {
				t.Fatalf("next step with the boss: milestones %v; want the offer: %s", r.Milestones, dump(d))
			}
			if strings.Contains(r.Text, string(SitOfferAccept)) {
				t.Errorf("reply %q adds an acceptance a receptionist cannot give to her answered concern", r.Text)
			}
		})
	}
}

// A receptionist asked what she thinks herself, while the owner's say is
// pending, gives her view (own_view) when her persona has lines for it —
// never the same concern twice in a row — and otherwise says the concern
// again; the concern stays open until the step to the owner is proposed.
func TestGatekeeperGivesHerOwnView(t *testing.T) {
	ask := map[Lang][]string{
		LangEN: {"And what do you think yourself, would it suit you?", "Personally, does it sound right for the office?"},
		LangZH: {"那您自己觉得这个方案合不合适？", "您个人觉得能解决你们的问题吗？"},
	}
	for _, lang := range langs {
		for _, withLines := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/own_view lines %v", lang, withLines), func(t *testing.T) {
				persona := "fx-gatekeeper"
				if withLines {
					persona = "fx-gatekeeper-view"
				}
				d := mustDeal(t, persona, lang, MilestoneOffer)
				play(t, d, lang, "open")
				if r := play(t, d, lang, "pitch"); r.Situation != SitObjection {
					t.Fatalf("pitch: situation %q; want the authority concern: %s", r.Situation, dump(d))
				}
				prev := ""
				for _, l := range ask[lang] {
					r := mustSay(t, d, l)
					want := SitOwnView
					if !withLines {
						want = SitObjectionHold
					}
					if r.Situation != want || slices.Contains(r.Milestones, MilestoneOffer) {
						t.Errorf("%q: %q (%s, milestones %v); want %s and no offer", l, r.Text, r.Situation, r.Milestones, want)
					}
					if withLines && r.Text == prev {
						t.Errorf("%q: the customer says %q twice in a row", l, r.Text)
					}
					prev = r.Text
				}
				r := mustSay(t, d, map[Lang]string{LangEN: "Could you run it by the owner? I'm happy to set up a quick call with him this week.",
					LangZH: "那麻烦您跟老板说一下？我这周跟他约个电话简单聊聊。"}[lang])
				if !slices.Contains(r.Milestones, MilestoneOffer) {
					t.Errorf("step to the owner after her view: milestones %v; want the offer: %s", r.Milestones, dump(d))
				}
			})
		}
	}
}

// Once the offer is on the table, a question of fact that fits it ("how
// many do you use a month?") is answered with the persona's line on that
// topic, once; before anything was presented, digging on past the need is
// over-probing.
func TestFactsAskedAfterTheOffer(t *testing.T) {
	volume := map[Lang]string{LangEN: "Roughly how many bottles do you get through a month?", LangZH: "你们一个月大概用多少桶水？"}
	for _, lang := range langs {
		t.Run(string(lang)+"/after the pitch", func(t *testing.T) {
			d := mustDeal(t, "fx-gatekeeper-view", lang, MilestoneOffer)
			play(t, d, lang, "open", "pitch")
			if r := mustSay(t, d, volume[lang]); r.Situation != SitSituationVolume {
				t.Errorf("volume question with the offer on the table: %q (%s); want situation_volume", r.Text, r.Situation)
			}
			if r := mustSay(t, d, volume[lang]); r.Situation == SitSituationVolume {
				t.Errorf("the same fact asked again is answered again: %q", r.Text)
			}
		})
		t.Run(string(lang)+"/before anything was presented", func(t *testing.T) {
			d := mustDeal(t, "fx-high-volume", lang, MilestoneNeed)
			play(t, d, lang, "open")
			if r := play(t, d, lang, "problem"); !slices.Contains(r.Milestones, MilestoneNeed) {
				t.Fatalf("no need after a problem question to a high-urgency customer: %s", dump(d))
			}
			if r := mustSay(t, d, volume[lang]); r.Situation != SitOverProbe {
				t.Errorf("question of fact right after the need, nothing presented: %q (%s); want over_probe", r.Text, r.Situation)
			}
		})
	}
}

// While a concern about the deal is open, the customer answers a question
// about what bothers it, or more presentation, with the concern itself —
// not with "how is it priced?" or "you know my situation".
func TestOpenConcernComesBack(t *testing.T) {
	for _, lang := range langs {
		t.Run(string(lang), func(t *testing.T) {
			d := bossConcernOpen(t, lang)
			bother := map[Lang]string{LangEN: "What exactly is still bothering you about it?", LangZH: "您现在具体还顾虑什么呢？"}[lang]
			for _, line := range []string{bother, lines[lang]["pitch"]} {
				r := mustSay(t, d, line)
				if r.Situation != SitObjectionHold || !strings.Contains(r.Text, "boss") {
					t.Errorf("%q while the boss concern is open: %q (%s); want the concern again", line, r.Text, r.Situation)
				}
			}
		})
	}
}

// A customer cannot accept a price nobody has named: asked to go ahead "at
// the usual price" before any figure was said, it asks what it costs; once
// the figure is said, it weighs it.
func TestNoPriceAcceptedUnheard(t *testing.T) {
	unheard := map[Lang]string{LangEN: "Shall we go ahead with it at the usual price?", LangZH: "那价格就按正常的来，咱们定下来？"}
	for _, lang := range langs {
		t.Run(string(lang), func(t *testing.T) {
			d := mustDeal(t, "fx-high", lang, MilestoneDeal)
			play(t, d, lang, "open", "problem")
			if r := play(t, d, lang, "pitch"); !slices.Contains(r.Milestones, MilestoneOffer) {
				t.Fatalf("pitch on the need: milestones %v; want the offer: %s", r.Milestones, dump(d))
			}
			if r := mustSay(t, d, unheard[lang]); r.Situation != SitPriceAsk {
				t.Errorf("%q before any figure: %q (%s); want price_ask", unheard[lang], r.Text, r.Situation)
			}
			play(t, d, lang, "price")
			if s := d.Scorecard(); !s.Commitment.Price {
				t.Errorf("the figure within budget said: price not agreed: %s", dump(d))
			}
		})
	}
}

// A call that misses its goal but ends on an agreed next step did what the
// lecture asks: the miss is reported, costs the goal points and no more. A
// call that reached nothing of a simple product earns no points for the
// need it did not have to dig for.
func TestMissedGoalAndWaivedNeed(t *testing.T) {
	item := func(s *Scorecard, name string) ScoreLine {
		for _, l := range s.Breakdown {
			if l.Item == name {
				return l
			}
		}
		t.Fatalf("no %s line in %+v", name, s.Breakdown)
		return ScoreLine{}
	}
	missed := func(s *Scorecard) Finding {
		for _, f := range s.Findings {
			if f.Code == FindMissedGoal {
				return f
			}
		}
		t.Fatalf("no %s finding in %+v", FindMissedGoal, s.Findings)
		return Finding{}
	}
	for _, lang := range langs {
		t.Run(string(lang)+"/with a next step", func(t *testing.T) {
			d := mustDeal(t, "fx-medium", lang, MilestoneDeal)
			play(t, d, lang, "open", "problem", "nextstep", "close")
			if f := missed(d.Scorecard()); f.Points != 0 || !strings.Contains(f.Message, map[Lang]string{LangEN: "next step", LangZH: "下一步"}[lang]) {
				t.Errorf("missed goal after an agreed next step: %+v; want 0 points and the next step named", f)
			}
		})
		t.Run(string(lang)+"/without one", func(t *testing.T) {
			d := mustDeal(t, "fx-medium", lang, MilestoneDeal)
			play(t, d, lang, "open", "problem", "close")
			if f := missed(d.Scorecard()); f.Points >= 0 {
				t.Errorf("missed goal without a next step: %+v; want a deduction", f)
			}
		})
		t.Run(string(lang)+"/simple product, nothing accepted", func(t *testing.T) {
			d := mustDeal(t, "fx-simple-low", lang, MilestoneOffer)
			play(t, d, lang, "open", "close")
			if l := item(d.Scorecard(), "need_waived"); l.Points != 0 {
				t.Errorf("need_waived %d/%d for a call that reached nothing; want 0", l.Points, l.Max)
			}
			d = mustDeal(t, "fx-simple-low", lang, MilestoneOffer)
			play(t, d, lang, "open", "pitch")
			if l := item(d.Scorecard(), "need_waived"); !reached(d, MilestoneOffer) || l.Points != l.Max {
				t.Errorf("need_waived %d/%d once the product is accepted; want full points", l.Points, l.Max)
			}
		})
	}
}

// Without an established urgent motive the customer accepts the price but
// postpones the time — until the cost of waiting is made concrete.
func TestTimePostponedWithoutUrgency(t *testing.T) {
	for _, lang := range langs {
		t.Run(string(lang), func(t *testing.T) {
			d := mustDeal(t, "fx-simple-low", lang, MilestoneDeal)
			play(t, d, lang, "open", "pitch")
			mustSay(t, d, map[Lang]string{LangEN: "It's 450 yuan a month.", LangZH: "每个月450元。"}[lang])
			if !d.TestCommitment().Price {
				t.Fatalf("price not accepted: %s", dump(d))
			}
			r := play(t, d, lang, "time")
			if r.Situation != SitTimePostpone || d.TestCommitment().Time {
				t.Fatalf("time without urgency: situation %q; want %q", r.Situation, SitTimePostpone)
			}
			if !hasFinding(d.Scorecard(), FindTimeStalled) {
				t.Errorf("no %s finding", FindTimeStalled)
			}
			play(t, d, lang, "implication")
			if r := play(t, d, lang, "time"); !slices.Contains(r.Milestones, MilestoneDeal) {
				t.Errorf("time not accepted after the cost of waiting was made concrete: %s", dump(d))
			}
		})
	}
}

// Patience runs down every turn, faster on monologues, repeated questions and
// over-probing; at zero the customer ends the call.
func TestPatience(t *testing.T) {
	for _, lang := range langs {
		t.Run(string(lang)+"/every turn", func(t *testing.T) {
			d := mustDeal(t, "fx-high", lang, MilestoneNeed)
			p0 := d.TestPatience()
			play(t, d, lang, "rapport")
			if got := p0 - d.TestPatience(); got != d.TestRules().TurnCost {
				t.Errorf("a turn cost %d patience; want %d", got, d.TestRules().TurnCost)
			}
		})
		t.Run(string(lang)+"/monologue", func(t *testing.T) {
			d := mustDeal(t, "fx-high", lang, MilestoneNeed)
			p0 := d.TestPatience()
			play(t, d, lang, "monologue")
			if got := p0 - d.TestPatience(); got <= d.TestRules().TurnCost {
				t.Errorf("a monologue cost %d patience; want more than %d", got, d.TestRules().TurnCost)
			}
		})
		t.Run(string(lang)+"/repeated question", func(t *testing.T) {
			d := mustDeal(t, "fx-medium", lang, MilestoneNeed)
			play(t, d, lang, "open", "situation")
			p0 := d.TestPatience()
			r := play(t, d, lang, "situation")
			if got := p0 - d.TestPatience(); r.Situation != SitRepeat || got <= d.TestRules().TurnCost {
				t.Errorf("repeat: situation %q, cost %d; want %q and more than %d", r.Situation, got, SitRepeat, d.TestRules().TurnCost)
			}
		})
		t.Run(string(lang)+"/over-probing", func(t *testing.T) {
			d := mustDeal(t, "fx-high", lang, MilestoneNeed)
			play(t, d, lang, "open", "problem")
			p0 := d.TestPatience()
			r := play(t, d, lang, "situation")
			if got := p0 - d.TestPatience(); r.Situation != SitOverProbe || got <= d.TestRules().TurnCost {
				t.Errorf("over-probe: situation %q, cost %d; want %q and more than %d", r.Situation, got, SitOverProbe, d.TestRules().TurnCost)
			}
			play(t, d, lang, "situation2")
			if !hasFinding(d.Scorecard(), FindOverProbing) {
				t.Errorf("no %s finding", FindOverProbing)
			}
		})
		t.Run(string(lang)+"/runs out", func(t *testing.T) {
			d := mustDeal(t, "fx-high", lang, MilestoneNeed)
			var r Reply
			for i := 0; i < 20 && d.InCall(); i++ {
				r = play(t, d, lang, "rapport")
			}
			if !r.Ended || r.EndedBy != EndedByCustomer || r.Situation != SitHangupPatience {
				t.Errorf("last reply %+v; want the customer hanging up for patience", r)
			}
			if got := d.Scorecard().CallsDetail[0].EndedBy; got != EndedByCustomer {
				t.Errorf("ended_by %q; want customer", got)
			}
		})
	}
}

// Twice pressured, the customer hangs up.
func TestPressureTwiceHangsUp(t *testing.T) {
	for _, lang := range langs {
		t.Run(string(lang), func(t *testing.T) {
			d := mustDeal(t, "fx-high", lang, MilestoneNeed)
			play(t, d, lang, "open")
			if r := play(t, d, lang, "pressure"); r.Ended {
				t.Fatalf("hung up after one pressure")
			}
			r := play(t, d, lang, "pressure")
			if !r.Ended || r.EndedBy != EndedByCustomer || r.Situation != SitHangupPressure {
				t.Errorf("second pressure: %+v; want hang-up by the customer", r)
			}
			if _, err := d.Say(lines[lang]["problem"]); err == nil {
				t.Errorf("Say after hang-up succeeded; want an error")
			}
		})
	}
}

// A customer with no motive walks away politely rather than being talked
// into buying; letting it go politely is the right result.
func TestNoMotivePersonaWalksAway(t *testing.T) {
	for _, lang := range langs {
		t.Run(string(lang)+"/pushed", func(t *testing.T) {
			d := mustDeal(t, "fx-nofit", lang, MilestoneNeed)
			r := play(t, d, lang, "open", "problem", "whynow", "implication")
			if r.Situation != SitNoNeed {
				t.Fatalf("situation %q; want %q", r.Situation, SitNoNeed)
			}
			for _, push := range []string{"pitch", "price", "time"} {
				dd := mustDeal(t, "fx-nofit", lang, MilestoneNeed)
				play(t, dd, lang, "open", "problem", "whynow", "implication")
				r := play(t, dd, lang, push)
				if r.Situation != SitDecline || r.EndedBy != EndedByCustomer {
					t.Errorf("%s after no need: %+v; want a polite decline ending the call", push, r)
				}
				s := dd.Scorecard()
				if s.Milestones[MilestoneOffer].Reached || s.Commitment.Price || s.Commitment.Time || !hasFinding(s, FindForcedClose) {
					t.Errorf("%s: the no-motive customer was talked into something: %+v", push, s.Commitment)
				}
			}
		})
		t.Run(string(lang)+"/let go", func(t *testing.T) {
			d := mustDeal(t, "fx-nofit", lang, MilestoneNeed)
			play(t, d, lang, "open", "problem", "whynow", "implication", "close")
			s := d.Scorecard()
			if s.Outcome != "qualified_out" || !hasFinding(s, FindQualifiedOut) || !s.CallsDetail[0].GoalReached {
				t.Errorf("outcome %q, goal %v; want qualified_out", s.Outcome, s.CallsDetail[0].GoalReached)
			}
			if s.Score < 70 {
				t.Errorf("score %d for letting a no-fit customer go politely; want at least 70", s.Score)
			}
		})
	}
}

// A follow-up call remembers everything, and starts warmer after an agreed
// next step than after a call the customer cut off.
// Asked in a follow-up call whether it looked at what was sent, the
// customer says so (followup_seen) — in the opening line or later, once a
// call — instead of "yes, go on"; in a first call the same words are no
// such question.
func TestFollowUpSeen(t *testing.T) {
	seen := map[Lang][]string{
		LangEN: {"Hi, it's Anna from Acme Training again. Did you get a chance to look at the proposal?", "Have you had a chance to look at it?"},
		LangZH: {"您好，我是新锐培训的小李，方案您看了吗？", "上次发的资料您看过了吗？"},
	}
	for _, lang := range langs {
		t.Run(string(lang), func(t *testing.T) {
			d := mustDeal(t, "fx-high-seen", lang, MilestoneNeed)
			play(t, d, lang, "open", "problem", "nextstep", "close")
			if _, err := d.Dial(MilestoneOffer); err != nil {
				t.Fatal(err)
			}
			if r := mustSay(t, d, seen[lang][0]); r.Situation != SitFollowupSeen {
				t.Errorf("%q opening a follow-up: %q (%s); want followup_seen", seen[lang][0], r.Text, r.Situation)
			}
			if r := mustSay(t, d, seen[lang][1]); r.Situation == SitFollowupSeen {
				t.Errorf("asked twice in a call, answered twice: %q", r.Text)
			}
		})
		t.Run(string(lang)+"/first call", func(t *testing.T) {
			d := mustDeal(t, "fx-high-seen", lang, MilestoneNeed)
			if r := mustSay(t, d, seen[lang][0]); r.Situation == SitFollowupSeen {
				t.Errorf("%q in a first call: %q (%s)", seen[lang][0], r.Text, r.Situation)
			}
		})
	}
}

func TestFollowUpRemembers(t *testing.T) {
	for _, lang := range langs {
		t.Run(string(lang)+"/warm", func(t *testing.T) {
			d := mustDeal(t, "fx-objections", lang, MilestoneNeed)
			play(t, d, lang, "open", "problem", "pitch", "case", "nextstep", "close")
			trust := d.TestTrust()
			r, err := d.Dial(MilestoneDeal)
			if err != nil {
				t.Fatal(err)
			}
			if r.Situation != SitFollowupWarm || d.TestTrust() <= trust {
				t.Errorf("follow-up: situation %q, trust %d (was %d); want warm and higher", r.Situation, d.TestTrust(), trust)
			}
			if !reached(d, MilestoneNeed) || !reached(d, MilestoneOffer) || !d.TestObjectionResolved(0) {
				t.Errorf("follow-up forgot milestones or resolved objections")
			}
			play(t, d, lang, "price", "time")
			if r := play(t, d, lang, "boss"); !slices.Contains(r.Milestones, MilestoneDeal) {
				t.Errorf("deal not reached in the follow-up call: %s", dump(d))
			}
			s := d.Scorecard()
			if s.Milestones[MilestoneNeed].Call != 1 || s.Milestones[MilestoneDeal].Call != 2 || s.Calls != 2 {
				t.Errorf("milestone calls need=%d deal=%d calls=%d; want 1, 2, 2", s.Milestones[MilestoneNeed].Call, s.Milestones[MilestoneDeal].Call, s.Calls)
			}
		})
		t.Run(string(lang)+"/cold", func(t *testing.T) {
			d := mustDeal(t, "fx-high", lang, MilestoneNeed)
			play(t, d, lang, "open", "pressure", "pressure")
			trust := d.TestTrust()
			r, err := d.Dial(MilestoneNeed)
			if err != nil {
				t.Fatal(err)
			}
			if r.Situation != SitFollowupCold || d.TestTrust() >= trust {
				t.Errorf("follow-up after a hang-up: situation %q, trust %d (was %d); want cold and lower", r.Situation, d.TestTrust(), trust)
			}
			if d.TestPressure() != 2 {
				t.Errorf("pressure count %d; want 2 carried over", d.TestPressure())
			}
		})
	}
}

// Given the same persona, seed and lines, the outcome is identical.
func TestDeterminism(t *testing.T) {
	for _, lang := range langs {
		t.Run(string(lang), func(t *testing.T) {
			run := func(seed int64) []byte {
				cat := fixtureCatalog(t)
				p, sc, _ := cat.Persona("fx-objections")
				d, err := NewDeal(testEar(), p, sc, DealConfig{Seed: seed, Lang: lang, Rules: DefaultRules(), Weights: DefaultWeights()})
				if err != nil {
					t.Fatal(err)
				}
				d.Dial(MilestoneDeal)
				play(t, d, lang, "open", "situation", "problem", "vague", "pitch", "objection", "case", "price_high", "price", "time", "boss", "close")
				d.Finish()
				return mustJSON(d.Scorecard())
			}
			a, b := run(42), run(42)
			if string(a) != string(b) {
				t.Errorf("same seed, different scorecards:\n%s\n%s", a, b)
			}
			var x, y Scorecard
			json.Unmarshal(run(1), &x)
			json.Unmarshal(run(2), &y)
			if x.Score != y.Score || x.Outcome != y.Outcome {
				t.Errorf("the seed changed the outcome: %d/%s vs %d/%s", x.Score, x.Outcome, y.Score, y.Outcome)
			}
		})
	}
}

// The customer never reveals the motive before it is earned, and the
// scorecard reveals the hidden state only once the deal is over.
func TestHiddenStateNotLeaked(t *testing.T) {
	for _, lang := range langs {
		t.Run(string(lang), func(t *testing.T) {
			d := mustDeal(t, "fx-low", lang, MilestoneNeed)
			marker := map[Lang]string{LangEN: "MOTIVE", LangZH: "动机"}[lang]
			for _, n := range []string{"open", "situation", "problem", "whynow", "vague", "price", "time", "rapport"} {
				if r := play(t, d, lang, n); strings.Contains(r.Text, marker) {
					t.Errorf("after %q the customer revealed the motive: %q", n, r.Text)
				}
			}
			if d.Scorecard().Hidden != nil {
				t.Errorf("hidden state on the scorecard of a live deal")
			}
			d.Finish()
			if h := d.Scorecard().Hidden; h == nil || h.Urgency != UrgencyLow {
				t.Errorf("hidden state not revealed once the deal is over: %+v", h)
			}
		})
	}
}

// Every piece of evidence on the scorecard quotes the transcript.
func TestEvidenceQuotesTranscript(t *testing.T) {
	for _, lang := range langs {
		t.Run(string(lang), func(t *testing.T) {
			d := mustDeal(t, "fx-medium", lang, MilestoneDeal)
			play(t, d, lang, "open", "problem", "whynow", "pitch", "price", "time", "close")
			s := d.Scorecard()
			quotes := []*Evidence{s.Commitment.PriceEvidence, s.Commitment.TimeEvidence}
			for _, m := range Milestones {
				r := s.Milestones[m]
				if !r.Reached {
					t.Fatalf("%s not reached: %s", m, dump(d))
				}
				quotes = append(quotes, &Evidence{Call: r.Call, Turn: r.Turn, Quote: r.Quote})
			}
			for _, e := range quotes {
				if e == nil || e.Quote == "" {
					t.Fatalf("missing evidence: %+v", s.Commitment)
				}
				found := false
				for _, tt := range s.Transcript {
					if tt.Call == e.Call && tt.Turn == e.Turn && strings.Contains(tt.Customer, e.Quote) {
						found = true
					}
				}
				if !found {
					t.Errorf("evidence %+v not in the transcript", e)
				}
			}
			if s.Score < 80 {
				t.Errorf("score %d for a clean deal; want at least 80 (%+v)", s.Score, s.Breakdown)
			}
		})
	}
}

// Ending a call: a goodbye naming the next call's day still ends it, a
// hang-up still makes the end-of-call findings, a callback with a day after
// the offer is a next step, not the deal's time.
func TestEndingCalls(t *testing.T) {
	bye := map[Lang]string{LangEN: "Great, talk to you on Tuesday then, goodbye!", LangZH: "好的，那就周二见，再见！"}
	for _, lang := range langs {
		t.Run(string(lang)+"/goodbye with a day", func(t *testing.T) {
			d := mustDeal(t, "fx-high", lang, MilestoneNeed)
			play(t, d, lang, "open", "problem")
			r := mustSay(t, d, bye[lang])
			if !r.Ended || r.EndedBy != EndedByTrainee || r.Situation != SitGoodbye {
				t.Errorf("goodbye: %+v; want the call ended by the trainee", r)
			}
		})
		t.Run(string(lang)+"/hangup findings", func(t *testing.T) {
			d := mustDeal(t, "fx-high", lang, MilestoneDeal)
			play(t, d, lang, "open", "situation")
			d.Hangup()
			s := d.Scorecard()
			if !hasFinding(s, FindMissedGoal) || !hasFinding(s, FindNoNextStep) {
				t.Errorf("findings after a hang-up %v; want %s and %s", s.Findings, FindMissedGoal, FindNoNextStep)
			}
		})
		t.Run(string(lang)+"/callback after the offer", func(t *testing.T) {
			d := mustDeal(t, "fx-high", lang, MilestoneOffer)
			play(t, d, lang, "open", "problem", "pitch", "nextstep", "close")
			s := d.Scorecard()
			if s.Commitment.Time || !s.CallsDetail[0].NextStep {
				t.Errorf("callback: time %v, next step %v; want no time, a next step", s.Commitment.Time, s.CallsDetail[0].NextStep)
			}
		})
	}
}

// Lines after the customer hung up are ignored until the next call.
func TestPlayIgnoresLinesAfterHangup(t *testing.T) {
	for _, lang := range langs {
		t.Run(string(lang), func(t *testing.T) {
			l := lines[lang]
			script := strings.Join([]string{l["open"], l["pressure"], l["pressure"], l["problem"], l["problem"], "---", l["problem"]}, "\n")
			s, err := ParseScript(strings.NewReader(script))
			if err != nil {
				t.Fatal(err)
			}
			d2 := newFixtureDeal(t, "fx-high", lang)
			if err := d2.Play(s); err != nil {
				t.Fatalf("Play: %v", err)
			}
			sc := d2.Scorecard()
			if sc.Calls != 2 || sc.CallsDetail[0].Turns != 3 || sc.CallsDetail[0].EndedBy != EndedByCustomer {
				t.Errorf("calls %d, first call %d turns ended by %q; want 2, 3, customer", sc.Calls, sc.CallsDetail[0].Turns, sc.CallsDetail[0].EndedBy)
			}
			if !sc.Over || sc.CallsDetail[1].EndedBy != EndedByTrainee {
				t.Errorf("deal over %v, second call ended by %q; want over, trainee", sc.Over, sc.CallsDetail[1].EndedBy)
			}
		})
	}
}

func FuzzParseScript(f *testing.F) {
	f.Add("# goal: need\nhello\n---\n# goal: deal\nprice is 9000\n")
	f.Add("\ufeff#goal:offer\r\n---\r\n---\n")
	f.Add("# goal: \n")
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseScript(strings.NewReader(in))
		if err != nil {
			return
		}
		if len(s.Calls) == 0 {
			t.Fatalf("ParseScript(%q) returned no calls", in)
		}
		for _, c := range s.Calls {
			if c.Goal != "" {
				if _, err := ParseMilestone(string(c.Goal)); err != nil {
					t.Fatalf("ParseScript(%q) goal %q invalid", in, c.Goal)
				}
			}
			for _, l := range c.Lines {
				if strings.TrimSpace(l.Text) == "" || l.Text == "---" || strings.HasPrefix(l.Text, "#") {
					t.Fatalf("ParseScript(%q) kept line %q", in, l.Text)
				}
			}
		}
	})
}

// What a next step proposes is read from the words that name it last: a
// line that mentions the customer's records and then books a demo books a
// demo.
func TestNextStepKinds(t *testing.T) {
	tests := []struct {
		name, line string
		lang       Lang
		want       string
	}{
		{"send", "I'll email you the details this afternoon.", LangEN, "send"},
		{"demo after records", "your customer details stay in the system. shall i book a demo for thursday?", LangEN, "meet"},
		{"visit", "could i come by on site next week and look at your set-up?", LangEN, "meet"},
		{"call back", "can i call you back on friday?", LangEN, "call"},
		{"zh demo after 资料", "客户资料录在公司系统里,我给您约个二十分钟的线上演示,这周四下午三点方便吗", LangZH, "meet"},
		{"zh send", "我加您微信把资料发过去", LangZH, "send"},
		{"none", "how many people are on the team?", LangEN, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NextStepKindForTest(tt.line, tt.lang); got != tt.want {
				t.Errorf("nextStepKind(%q) = %q; want %q", tt.line, got, tt.want)
			}
		})
	}
}

// A timing concern the customer raised is answered by answering it, in
// the words of its kind ("split them into groups of ten, half-days around
// the shift"), even when the line proposes no new date; and a turn that
// gets somewhere costs the customer no patience.
func TestRaisedConcernAnsweredInAnyAct(t *testing.T) {
	answer := map[Lang]string{
		LangEN: "We don't have to take everyone at once: we can split them into groups of ten and run half-days around the shift handover.",
		LangZH: "不用一下子都抽出来，我们可以分两批，每批十个人，错开排班，每次半天。",
	}
	for _, lang := range langs {
		t.Run(string(lang), func(t *testing.T) {
			d := mustDeal(t, "fx-rota", lang, MilestoneDeal)
			play(t, d, lang, "open", "problem", "pitch", "price")
			if r := play(t, d, lang, "time"); r.Situation != SitObjection {
				t.Fatalf("time: %q (%s); want the timing concern: %s", r.Text, r.Situation, dump(d))
			}
			before := d.TestPatience()
			r := mustSay(t, d, answer[lang])
			if !d.TestObjectionResolved(0) || !slices.Contains(r.Milestones, MilestoneDeal) {
				t.Errorf("%q: resolved %v, milestones %v; want the concern answered and the deal: %s", answer[lang], d.TestObjectionResolved(0), r.Milestones, dump(d))
			}
			if after := d.TestPatience(); after < before {
				t.Errorf("patience %d → %d on a turn that closed the deal; want no cost", before, after)
			}
		})
	}
}

// Proposing a time that already stands gets an answer, not silence: the
// customer goes on to what is missing (here, the price).
func TestTimeProposedAgainIsAnswered(t *testing.T) {
	for _, lang := range langs {
		t.Run(string(lang), func(t *testing.T) {
			d := mustDeal(t, "fx-high", lang, MilestoneDeal)
			play(t, d, lang, "open", "problem", "pitch", "time")
			if !d.TestCommitment().Time {
				t.Fatalf("time not agreed: %s", dump(d))
			}
			r := play(t, d, lang, "time")
			if r.Text == "" {
				t.Errorf("the time proposed again: no reply (situation %q): %s", r.Situation, dump(d))
			}
		})
	}
}

// Every price below the company's floor offered in a call is a concession
// the company will not approve: the over_discount finding lists them all,
// and each costs its penalty, up to three.
func TestOverDiscountCountsEachCut(t *testing.T) {
	cuts := map[Lang][]string{
		LangEN: {"I can do 7,500 for the whole team.", "Fine, 7,000 then.", "6,500, my final offer.", "All right, 6,000."},
		LangZH: {"整个团队7500元可以。", "那就7000元吧。", "6500元，最后一口价。", "好吧，6000元。"},
	}
	for _, lang := range langs {
		t.Run(string(lang), func(t *testing.T) {
			d := mustDeal(t, "fx-high", lang, MilestoneDeal)
			play(t, d, lang, "open", "problem", "pitch")
			mustSay(t, d, cuts[lang]...)
			s := d.Scorecard()
			var f *Finding
			for i := range s.Findings {
				if s.Findings[i].Code == FindOverDiscount {
					f = &s.Findings[i]
				}
			}
			if f == nil {
				t.Fatalf("no over_discount finding: %+v", s.Transcript)
			}
			if want := -3 * DefaultWeights().Penalties[FindOverDiscount]; f.Points != want {
				t.Errorf("four cuts below the floor cost %d; want %d (three counted): %s", f.Points, want, f.Message)
			}
			for _, amount := range []string{"7,500", "7,000", "6,500"} {
				if !strings.Contains(strings.ReplaceAll(f.Message, "，", ","), amount) && !strings.Contains(f.Message, strings.ReplaceAll(amount, ",", "")) {
					t.Errorf("the finding does not name %s: %q", amount, f.Message)
				}
			}
		})
	}
}
