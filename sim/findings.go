package sim

import (
	"fmt"
	"strings"
)

// Finding codes. They are stable: stored data, the API and coaches' reports
// use them.
const (
	FindWeakOpening      = "weak_opening"
	FindPrematurePitch   = "premature_pitch"
	FindPitchNotOnNeed   = "pitch_not_on_need"
	FindOverProbing      = "over_probing"
	FindRepeatedQuestion = "repeated_question"
	FindMonologue        = "monologue"
	FindPressure         = "pressure"
	FindCustomerHungUp   = "customer_hung_up"
	FindTimeStalled      = "time_stalled_no_urgency"
	FindOverDiscount     = "over_discount"
	FindPrematureClose   = "premature_close"
	FindForcedClose      = "forced_close_no_fit"
	FindMissedGoal       = "missed_goal"
	FindLongCall         = "long_call"
	FindNoNextStep       = "no_next_step"
	FindUnresolved       = "unresolved_objection"
	FindTalksTooMuch     = "talks_too_much"
	FindQualifiedOut     = "qualified_out"
	FindNeedEstablished  = "need_established"
	FindDealClosed       = "deal_closed"
)

// FindingCodes lists every finding code.
var FindingCodes = []string{
	FindWeakOpening, FindPrematurePitch, FindPitchNotOnNeed, FindOverProbing,
	FindRepeatedQuestion, FindMonologue, FindPressure, FindCustomerHungUp,
	FindTimeStalled, FindOverDiscount, FindPrematureClose, FindForcedClose,
	FindMissedGoal, FindLongCall, FindNoNextStep, FindUnresolved,
	FindTalksTooMuch, FindQualifiedOut, FindNeedEstablished, FindDealClosed,
}

// findingText is the message and advice of one finding code in one language.
type findingText struct {
	severity string
	msg      map[Lang]string // may hold one %v for a detail
	advice   map[Lang]string
}

// findingTexts holds what the scorecard says for each code, in both
// languages. The advice follows the lecture: know the milestone before you
// dial, dig for the urgent motive, then present, then ask for price and time.
var findingTexts = map[string]findingText{
	FindWeakOpening: {"warning",
		map[Lang]string{LangEN: "The first two turns did not say why you call.", LangZH: "前两句话没有说明为什么打这个电话。"},
		map[Lang]string{LangEN: "Open with your name and company, the reason for the call and a request for a minute of their time; that is what earns the right to ask questions.", LangZH: "抓开场：先报姓名和公司，说明来电目的，并请求对方给你一点时间，这样客户才愿意回答问题。"}},
	FindPrematurePitch: {"problem",
		map[Lang]string{LangEN: "You presented the product before the customer had voiced a need with an urgent motive.", LangZH: "客户还没有表达有迫切动机的需求，你就开始介绍产品了。"},
		map[Lang]string{LangEN: "A pitch before the need earns a surface rejection. Dig first: ask what is not working and why it matters now, and pitch only once the customer has said it.", LangZH: "需求没挖出来就介绍产品，只会换来表面的拒绝。先挖需求：问清楚现在的困难，以及为什么现在必须解决，等客户自己说出来再谈方案。"}},
	FindPitchNotOnNeed: {"warning",
		map[Lang]string{LangEN: "Your presentation did not connect the product to the customer's stated need.", LangZH: "介绍方案时没有把产品和客户说出的需求联系起来。"},
		map[Lang]string{LangEN: "Restate the customer's motive in their words, then show how the product answers exactly that.", LangZH: "先用客户自己的话复述他的动机，再说明产品如何正好解决这个问题。"}},
	FindOverProbing: {"warning",
		map[Lang]string{LangEN: "You kept asking discovery questions after the customer had already voiced the need (%v extra).", LangZH: "客户已经表达了需求，你还在继续挖（多问了%v个问题）。"},
		map[Lang]string{LangEN: "Notice when the milestone is reached: once the urgent motive is voiced, confirm it and move on to the solution. Digging on and on makes calls long and many.", LangZH: "要判断里程碑是否已经达到：客户说出迫切动机后，确认一下就进入谈方案。一直挖挖挖，只会让通话又长又多。"}},
	FindRepeatedQuestion: {"info",
		map[Lang]string{LangEN: "You asked the same question twice.", LangZH: "同一个问题问了两次。"},
		map[Lang]string{LangEN: "Listen to the answer and build on it; a follow-up question that uses the customer's words shows you listened.", LangZH: "认真听客户的回答，在回答的基础上追问，用客户自己的话提问，表明你在听。"}},
	FindMonologue: {"info",
		map[Lang]string{LangEN: "A long monologue (%v words) drained the customer's patience.", LangZH: "一段很长的独白（约%v个词）消耗了客户的耐心。"},
		map[Lang]string{LangEN: "Keep each turn short and end it with a question; the customer should do most of the talking.", LangZH: "每次说话简短一些，并以问题结尾，让客户多说。"}},
	FindPressure: {"problem",
		map[Lang]string{LangEN: "You pushed or pressured the customer.", LangZH: "你对客户施加了压力或态度强硬。"},
		map[Lang]string{LangEN: "Pressure destroys trust; twice and the customer hangs up. Urgency must come from the customer's own motive, not from you.", LangZH: "施压会毁掉信任，两次客户就会挂电话。紧迫感应该来自客户自己的动机，而不是来自你的催促。"}},
	FindCustomerHungUp: {"problem",
		map[Lang]string{LangEN: "The customer ended the call (%v).", LangZH: "客户挂断了电话（%v）。"},
		map[Lang]string{LangEN: "Watch the customer's patience: short turns, no repeated questions, and a clear reason for every minute you take.", LangZH: "注意客户的耐心：说话简短、不重复提问，让客户觉得每一分钟都有价值。"}},
	FindTimeStalled: {"problem",
		map[Lang]string{LangEN: "The customer accepted the price but postponed the time (postponed: %v).", LangZH: "客户认可了价格，却推迟了时间（已推迟%v次）。"},
		map[Lang]string{LangEN: "When price is fine but the time keeps slipping, the root cause is not price: no urgent motive was established. Go back to what the customer said it wanted and ask why it matters, why now, and what waiting costs — with an ordinary flu nobody hurries to hospital; with swine flu people pay and go now.", LangZH: "价格没问题但时间迟迟定不下来，根源不在价格，而在于没有挖出迫切动机。回到客户说过想要的东西，问清为什么重要、为什么是现在、拖下去的代价——普通流感没人急着去医院，猪流感才会花钱马上去。"}},
	FindOverDiscount: {"problem",
		map[Lang]string{LangEN: "You offered %v, below the lowest price your company allows.", LangZH: "你报出了%v，低于公司允许的最低价。"}, // a list when cut again
		map[Lang]string{LangEN: "Concede only within your limit, and trade every concession for something (a start date, a longer term). A deal below the floor would not be approved.", LangZH: "让步只能在权限之内，而且每次让步都要换回点什么（开始时间、更长的合同期）。低于底价的成交公司不会批准。"}},
	FindPrematureClose: {"warning",
		map[Lang]string{LangEN: "You asked for the decision before the customer had accepted the product.", LangZH: "客户还没有认可产品，你就要求对方做决定。"},
		map[Lang]string{LangEN: "Ask for price and time only once the customer has accepted the product and service; otherwise the answer is a polite no.", LangZH: "客户认可了产品和服务之后，再谈价格和时间；否则只会得到客气的拒绝。"}},
	FindForcedClose: {"problem",
		map[Lang]string{LangEN: "You kept pushing a customer who had said there was no real need.", LangZH: "客户已经表示没有真正的需求，你还在强推。"},
		map[Lang]string{LangEN: "Not every customer is a fit. When discovery shows no urgent motive, end the call politely and leave the door open; forcing a close wastes both your time.", LangZH: "不是每个客户都合适。挖需求后发现没有迫切动机，就礼貌地结束通话、留好后路；硬推只会浪费双方时间。"}},
	FindMissedGoal: {"warning",
		map[Lang]string{LangEN: "Call %v ended without reaching its goal milestone.", LangZH: "第%v通电话没有达到预定的里程碑。"},
		map[Lang]string{LangEN: "Before you dial, know which milestone this call is for, and steer every turn towards it; end the call with a next step when you cannot reach it.", LangZH: "打电话之前就要清楚这通电话要达到哪个里程碑，每一句话都朝它推进；到不了时，也要约好下一步再结束。"}},
	FindLongCall: {"info",
		map[Lang]string{LangEN: "Call %v was long and still missed its goal.", LangZH: "第%v通电话很长，却仍然没有达到目标。"},
		map[Lang]string{LangEN: "Long calls come from not knowing the milestone. Decide what this call must achieve and move on once it is reached.", LangZH: "通话过长，往往是因为不清楚这通电话的里程碑。想清楚这通电话要达到什么，达到后就推进下一步。"}},
	FindNoNextStep: {"warning",
		map[Lang]string{LangEN: "Call %v ended without a deal and without an agreed next step.", LangZH: "第%v通电话既没有成交，也没有约定下一步。"},
		map[Lang]string{LangEN: "When a call cannot go further, agree on the next step (a follow-up time, sending the proposal) so the next call starts warm.", LangZH: "这通电话推进不下去时，要约好下一步（回访时间、发送方案），下一通电话才会有好的开始。"}},
	FindUnresolved: {"warning",
		map[Lang]string{LangEN: "The call ended with the customer's concern unanswered.", LangZH: "通话结束时，客户的顾虑还没有解决。"},
		map[Lang]string{LangEN: "Answer an objection with evidence — a case, a guarantee, a trial — and check that it is settled before moving on.", LangZH: "用证据回应异议——案例、保证、试用——并确认客户的顾虑已经打消，再往下走。"}},
	FindTalksTooMuch: {"info",
		map[Lang]string{LangEN: "You did %v of the talking.", LangZH: "通话中你说话的比例是%v。"},
		map[Lang]string{LangEN: "In top sales calls the rep talks about 43% of the time. Ask, then listen.", LangZH: "优秀的销售电话中，销售说话的时间大约只占43%。多问，多听。"}},
	FindQualifiedOut: {"good",
		map[Lang]string{LangEN: "You found there was no urgent need and ended the call politely.", LangZH: "你发现客户没有迫切需求，并礼貌地结束了通话。"},
		map[Lang]string{LangEN: "Right call: a short, polite call to a customer who is not a fit saves everyone's time.", LangZH: "判断正确：对不合适的客户，简短而礼貌的通话节省了双方的时间。"}},
	FindNeedEstablished: {"good",
		map[Lang]string{LangEN: "The customer voiced a need with an urgent motive.", LangZH: "客户表达了有迫切动机的需求。"},
		map[Lang]string{LangEN: "Good digging: this is the key milestone. Confirm it in the customer's words and move on to the solution.", LangZH: "需求挖得好，这是最关键的里程碑。用客户的话确认一下，然后进入谈方案。"}},
	FindDealClosed: {"good",
		map[Lang]string{LangEN: "The customer accepted the price and the time: the deal is closed.", LangZH: "客户认可了价格和时间：成交。"},
		map[Lang]string{LangEN: "Well done. Confirm the next steps in writing while the motive is fresh.", LangZH: "做得好。趁客户动机还强，尽快书面确认后续安排。"}},
}

// Severity returns the severity of a finding code.
func findingSeverity(code string) string { return findingTexts[code].severity }

// renderFinding fills in message and advice in lang.
func renderFinding(code string, lang Lang, detail any) (msg, advice string) {
	t := findingTexts[code]
	msg = t.msg[lang]
	if st, ok := detail.(stalled); ok {
		msg = fmt.Sprintf(msg, st.times)
		if st.surface != nil {
			msg += " " + fmt.Sprintf(map[Lang]string{
				LangEN: "It accepted the offer on its surface need alone (call %d, turn %d: “%s”): the motive behind it was never dug.",
				LangZH: "客户只是在表面需求上认可了方案（第%d通第%d轮：“%s”），背后的动机一直没有挖出来。",
			}[lang], st.surface.Call, st.surface.Turn, st.surface.Quote)
		}
		return msg, t.advice[lang]
	}
	if m, ok := detail.(missedGoal); ok {
		msg = fmt.Sprintf(msg, m.call)
		if m.nextStep {
			msg += " " + map[Lang]string{
				LangEN: "It ended with an agreed next step, as it should when the milestone is out of reach.",
				LangZH: "不过通话结束前约好了下一步，到不了里程碑时就该这样做。",
			}[lang]
		}
		return msg, t.advice[lang]
	}
	if od, ok := detail.(overDiscounts); ok {
		sep := map[Lang]string{LangEN: ", then ", LangZH: "，又报了"}[lang]
		return fmt.Sprintf(msg, strings.Join(od, sep)), t.advice[lang]
	}
	if detail != nil {
		msg = fmt.Sprintf(msg, detail)
	}
	return msg, t.advice[lang]
}

// overDiscounts is the detail of an over_discount finding: the prices
// below the floor offered in the call, in order. Each costs the finding's
// penalty, up to maxOverDiscounts: cutting again below the limit is
// another concession the company will not approve.
type overDiscounts []string

// maxOverDiscounts is how many prices below the floor in one call the
// over_discount penalty counts.
const maxOverDiscounts = 3

// missedGoal is the detail of a missed_goal finding: the call, and whether
// it ended with an agreed next step.
type missedGoal struct {
	call     int
	nextStep bool
}

// stalled is the detail of a time_stalled_no_urgency finding: how often
// the time was postponed and, after an offer on the surface need, where
// the customer voiced that surface need — the turn to dig from.
type stalled struct {
	times   int
	surface *Evidence
}
