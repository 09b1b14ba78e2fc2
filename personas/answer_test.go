package personas_test

import (
	"strings"
	"testing"

	"github.com/callsim/callsim/sim"
)

// TestAnswersWhatWasAsked asks shipped customers discovery questions after
// a proper opening and checks that the answer is about what was asked:
// asked how many members the shops have, the baker talks about members,
// not about the bread it sells.
func TestAnswersWhatWasAsked(t *testing.T) {
	env := loadPlayEnv(t)
	open := map[sim.Lang]string{
		sim.LangZH: "您好，我是客多多的小张，想跟您聊两分钟门店的事，方便吗？",
		sim.LangEN: "Hi, this is Sam from KeDuoDuo, I'm calling about how your shops run, have you got two minutes?",
	}
	tests := []struct {
		name, persona string
		lang          sim.Lang
		question      string
		want          []string // the answer names one of these
	}{
		{"members, not bread", "crm-he-bakery", sim.LangZH, "你们三家店的会员大概有多少？", []string{"会员"}},
		{"members, not bread en", "crm-he-bakery", sim.LangEN, "How many members do your shops have altogether?", []string{"member"}},
		{"who decides", "crm-he-bakery", sim.LangZH, "花钱的事一般谁来拍板？", []string{"拍板", "定"}},
		{"who decides en", "crm-he-bakery", sim.LangEN, "Who makes the call on spending like this?", []string{"decide", "decision"}},
		{"till system", "crm-he-bakery", sim.LangEN, "What do you use at the tills for the stored-value cards?", []string{"till"}},
		{"group orders", "crm-he-bakery", sim.LangZH, "群里接订单是怎么弄的？", []string{"群"}},
		// a next step is agreed to as what it is: a meeting, material, a call
		{"demo slot", "crm-liu-founder", sim.LangEN, "Would Tuesday at 10 or Thursday at 3 suit you better for a 30-minute demo?", []string{"book"}},
		{"demo slot zh", "crm-liu-founder", sim.LangZH, "下周二上午十点或者周四下午三点，给您做个半小时的演示，哪个时间方便？", []string{"约"}},
		{"send material", "crm-liu-founder", sim.LangEN, "I'll send you a short brochure on WeChat tonight.", []string{"send"}},
		{"send material zh", "crm-liu-founder", sim.LangZH, "我今晚把资料发您微信。", []string{"发"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, sc, err := env.cat.Persona(tt.persona)
			if err != nil {
				t.Fatal(err)
			}
			d, err := sim.NewDeal(env.ear, p, sc, sim.DealConfig{Seed: 1, Lang: tt.lang, Rules: sim.DefaultRules(), Weights: sim.DefaultWeights()})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := d.Dial(sim.MilestoneNeed); err != nil {
				t.Fatal(err)
			}
			if _, err := d.Say(open[tt.lang]); err != nil {
				t.Fatal(err)
			}
			r, err := d.Say(tt.question)
			if err != nil {
				t.Fatal(err)
			}
			low := strings.ToLower(r.Text)
			for _, w := range tt.want {
				if strings.Contains(low, w) {
					return
				}
			}
			t.Errorf("%q answered with %q (%s); want it to name one of %q", tt.question, r.Text, r.Situation, tt.want)
		})
	}
}
