# The English lexicon of the act classifier: each [section] names the
# feature(s) its patterns signal, one pattern a line. README.md in this
# directory explains the features and the pattern syntax; test a change
# with `go test ./sim/understand`.

# @clients: the kinds of customers a trainee cites as evidence ("a lot of
# clinics your size…").
@clients = clients|customers|companies|firms|teams|businesses|schools|clinics|practices|restaurants|parents|families|factories|plants|manufacturers|shops|stores|venues|owners|hospitals|offices|sites|users|people|kitchens|warehouses|fleets

# @days: any weekday.
@days = monday|tuesday|wednesday|thursday|friday|saturday|sunday

# @see-you and @next-contact make up sign-offs naming the next contact
# ("talk to you Thursday", "see you then").
@see-you = see_you|see_u|see_ya|talk_to_you|talk_to_u|talk_with_you|speak_to_you|speak_to_u|speak_with_you|chat_to_you|chat_with_you|catch_you|catch_u
@next-contact = @days|tomorrow|tonight|next_week|on_monday|on_tuesday|on_wednesday|on_thursday|on_friday|next_monday|next_tuesday|next_wednesday|next_thursday|next_friday

[block]
good|great|better|sweet|fair deal
later this week|month|afternoon
later today
in a couple_of|few days|weeks
this is not
this is a|an|the|what|why|how|exactly|great|good|huge|really|where|it|just|our|your|my|about

# "deal" and weekdays inside nouns, follow-up as a feature, a schedule as a thing
first|biggest|bigger|big|next|new|average|typical|their|his|her|each|every|more|closed|lost|won|stalled|open|single|one deal|deals
a|the|your|average|typical|per deal size|sizes|value|values|flow|stage|stages|cycle|cycles|pipeline|data|count|volume|velocity|desk|team|room|rate|amount|review|history
deal size|sizes|value|values|flow|stage|stages|cycle|cycles|pipeline|velocity|desk
close|closing|land|landing|win|winning|lose|losing a|their|more|first deal
here is the deal
every|each @days
the|your|their|our|his|her|weekly @days report*|meeting*|standup*|stand-up*|huddle*|review*|number*|briefing*|sync*|dashboard*|pipeline|call*|rush|deadline*|email*|update*|session*
@days report*|standup*|stand-up*|huddle*|number*|briefing*|dashboard*|rush|deadline*
follow up|ups reminder*|alert*|task*|coaching|training|support|session*|sequence*|cadence*|rate*|process*|workflow*|tracking|automation|feature*|module*|tool*|template*|system*|nudge*|logic|email*|message*
of follow up
reps|agents|staff|salespeople|people|them|team|they|rep|everyone|nobody|someone|who follow up
reps|agents|staff|salespeople|people|them|they|rep|everyone|nobody|someone|who to follow up
forget|forgets|forgot|forgetting|never|remember to follow up
the|your|our|training|delivery|course|class|rollout|project|implementation|onboarding schedule
the|this|your pilot|trial

# a lone "Brilliant," acknowledges like "ok,"; "that's brilliant" is rapport
^ brilliant|lovely|awesome|excellent $$
what i mean
how we
what you mean
what do you mean
how does that sound to you
i am not sure
not sure
if that is ok|okay|all_right
would that be ok|okay|all_right
sorry about that
right now
at this point
no doubt
of course
no way
by the way
one moment|sec|second|minute

[negation]
not
no
never
nothing
nobody
neither
nor
without

[greet]
hope i|this * right number|person
hi
hello
hey
yo
greetings
thanks|thank_you for picking_up|answering
how are you doing today
good morning|afternoon|evening|day
^ morning|afternoon|evening
how are you $$
how are you doing|today
how is it going
how is your day going
how have you been
what is up
nice to meet you
pleasure to meet you

[greet +rapport]
long time no talk|see|speak

[intro]
this is
my name is
my name
name is
i am * from
^ it is * from|at|here|again
here from
calling from
speaking from
reaching out from
ringing from
i work with|for|at
from * here
i am the * at|from
on behalf of

[purpose]
calling|ringing|phoning to|about|because|regarding|re|as|in|for
call * about|regarding
calling|ringing|reaching_out * about|regarding
why i am calling|ringing
explain why
hope i am|this_is not * catching|interrupting|disturbing|bothering
reason for my|the call
reason i am calling|ringing|reaching
^ reason i|why_i
reason i call|ring|phone|reach
check in about|on|regarding|re|with_you_about
ok|okay|alright|good|bad|convenient|right|better moment
ok|okay|alright time
be super|really|very|real|dead|pretty quick|brief
the reason i
reason for calling
reaching out about|to|regarding|because
following up on
follow up on
catch you at
have|got|spare|take|borrow|steal|grab|give * minute*|moment|second
a quick minute|moment|second
quick question*|call|chat|query|word|check
will not take|keep * long|time|you
not take * time
will be brief|quick
be quick
keep it|this short|brief|quick
good|bad|convenient|right|better time
all_right|ok|okay|able|free to talk|chat
can|could|may i ask * few|couple|some|quick
ask you a few|couple|some|quick
few|couple of questions
want|wanted|like|love|hoping to * talk|chat|ask|discuss|understand|learn|share|introduce|check|touch_base|speak
want to see|know if|whether
wanted to see
just wanted to
my aim
the point of
agenda
purpose of
mind if i ask
to see if|whether * fit|match
be a fit
a good fit
there is a fit
sales call
sales pitch
not after a sale
just curious how
simply to understand
to understand how|whether|what

[sell]
sell|selling|sold
pitch|pitching
sale
sales thing
push anything

[rapport +acknowledge]
hear you
i hear you
i hear that
i understand
i totally|completely|fully|really|do|can understand
totally|completely|fully understand
understandable
understand that
makes sense
make sense
makes|make * sense
i get it
get that
i get that
totally|completely|absolutely fair
fair|good|great|valid point
valid concern
fair enough
totally|completely get it|that|you
that is fair|understandable
i know what you mean
i hear your

[acknowledge]
i know it|that|switching|moving|changing|change * scary|daunting|risky|worrying|big|hassle|expensive|pricey|a_lot|disruptive

[rapport]
feel you
feel your pain
sounds like you have had|been
sorry man|mate
helpful
useful
do not want to pressure|push|rush you|u
not trying to pressure|push|rush
no hard sell
i see
got it
gotcha
that is great|awesome|amazing|brilliant|lovely|smart|fantastic|exciting|impressive|tough|rough|hard
sounds rough|tough|hard|stressful|frustrating|hectic|busy|great|exciting|awful|terrible|lovely|brutal|painful|intense|crazy|insane|wild|nuts|exhausting|like_a_pain
^ oof|ugh|ouch|yikes $$
^ oh man|no $$
sounds like a busy|hectic|tough|rough|lot|great|nightmare
that must be
must be frustrating|hard|tough|stressful|difficult
sorry to hear
i am sorry
so sorry
i can imagine
can only imagine
great|good question
good point
no worries
no problem
not a problem
no pressure
take your time
no rush
how was your
weekend
weather
holiday
vacation
congrat*
well done
impressive
lovely
brilliant
awesome
glad to hear
happy to hear
i appreciate
appreciate you|that
thanks|thank_you for sharing|telling|explaining|letting|being|the info*|that
you are * right
absolutely
^ exactly $$
same here
know the feeling
lol
haha
hah
ha
lmao
nobody likes
hope you|your|the|things|all
hope * well
^ hope
i hope * well|good|ok|okay|going|not|busy|treating
not too crazy|busy|hectic|mad|manic
nobody wants|enjoys|needs
^ fair $$
get|see why
where you are coming from
totally|completely|fully|really|definitely get|see
sounds|that_is|that_sounds|must_be really|so|pretty|super|very|quite|incredibly|such|extremely|genuinely|honestly stressful|frustrating|hard|tough|rough|awful|terrible|painful|hectic|busy|exhausting|brutal|annoying|scary
feel the same
feel exactly
i would feel
smart
love that
nice one
candid
that is great|nice|good
good to hear
oh wow
wow
interesting
i know how|what
been there
me too
i agree
agreed
true
good for you
that is awesome|cool
sympathi*
empathi*
that is a lot
a lot on your plate
hectic
must have been
busy week|day|time|quarter

[situation]
how many
how much time
how long have
how often
currently
current
right now
at the moment
these days
nowadays
today
use
using
used
uses
system
tool*
software
crm
provider
vendor
supplier
insurer
who handles|decides|makes|manages|runs|looks|is_responsible|else|signs|approves|owns|is_in_charge
who * decision|decide|sign_off|approve|in_charge|responsible
decision maker
decision-maker
team
staff
employees
people
reps
headcount
process
setup
set up
workflow
set-up
how do you|u
how are you handling|managing|tracking|logging|dealing
how are you doing it
how are your
how does your
how is your
your role
industry
business
company
customers
clients
locations
offices
electricity|energy|power|fuel|gas|oil|utility|utilities|water|phone|material|raw_material|commodity|rent price|prices|bill|bills|costs|cost|rates|tariff*
electricity
energy use|usage|consumption
in house
in-house
outsourc*
lease
own them
contract
based
average
size
big is
large is
how do you guys
what * using|use|on|running|run
which
where are|is|do

[situation +ask]
tell me about
tell me a bit about
walk me through

[problem]
break* down
breakdown
fall* apart
slip*
drop* the ball
fall* through the cracks
problem*
issue*
challeng*
difficult*
struggl*
frustrat*
pain
painful
headache*
hassle*
trouble*
irritat*
annoy*
bugging
bother*
complain*
unhappy
happy with
satisf*
dissatisf*
not working
go|goes|going|went wrong|sideways|pear-shaped|south
wrong
improve*
better
change one thing
could change
would change
fix
wish
looking for
need most
do you need
what do you want
want most
ideal
missing
lacking
hardest
worst
bottleneck*
stuck
reliab*
unreliab*
downtime
keeps|keep breaking|crashing|failing
crash*
glitch*
messed up
mess up
mix-up*
mix up
slow*
how happy|satisfied|pleased
tripping
trip * up
keep|keeps|keeping you up
easier
concern*
worr*
dislike
do not like
hate
what would make
like to see
gap*
weak*
falling through
drop off
lose deals
hard for|to
harder
hard part
what happened with|to|there|last_time
held up
hold up
hold-up
snag*
drive|drives|driving you nuts|crazy|mad|up_the_wall
bugs you
annoys you
go well
working well
working out
working for you|u
pain point*
friction
waste
wasting
tedious
manual
mess*
complicated
confusing

[motive]
why
what made you|u
what makes you
what prompted|prompts|triggered|drove|drives
prompting
what is driving
driving this|that|the
reason behind|why
reason for that|this
the reason is
important
importance
matter
matters
priority
prioritize
urgent
urgency
care about
at stake
mean for
would it mean
what is stopping
stopping you
holding you back
push for
pressure from
what is behind
how come
goal*
target*
motivat*
keen to
in a hurry
rush

[why-now]
why now
why * now|today|right_now|this_year|this_quarter|this_month|at_this_point|all_of_a_sudden|suddenly|this_time
why the rush
why the hurry
why is it urgent
what changed
why not * later|next_year
rather than next|later
instead of next|later
the timing
why this quarter
what is the rush

[deadline]
when do|does * have_to|need_to|must
have to have
sorted|done|finished|ready|live by
by $$
deadline*
by when
by what date
when do|does * need
need * by
need it done
need this done
in place by|before
has_to_be|needs_to_be * by|in_place|done|live|sorted|ready
in place
date by which
by which
in time for
cut-off
cutoff
due date
time frame
timeframe
timeline
how soon do|does|would
have to be done|sorted
must be done|ready

[implication]
cost of doing_nothing|waiting|inaction|delay|not_acting
doing nothing
of delay
each|every|per month|week|day|quarter of delay|waiting
if nothing changes
nothing changes
stays the same
stay the same
stays like this|that
stay like this
keeps going like this|that
keep going like this
as they are
leave things
leave it as
where does that leave
knock-on
knock on effect
how much money * lose|losing|lost
missed revenue

[if-not]
if you|u|we|they|it|this|that do|does|did not
if you|u|we|they|it * not|never
if ** keep|keeps|continue|continues|stay|stays|persist|persists
if nothing
if it stays|keeps
if you wait|delay|leave|postpone|hold_off|put_off
what if
supposing
suppose you|u|we
without fixing|solving|changing
wait another
waiting another
postpone
put it off
put this off
delay*
drag on
drags on

[consequence]
cost if
the cost of
costing you|u
cost you|u
costs you|u
what is that costing|cost
losing
lose
lost
what happens
what would happen
what will happen
happen if
impact*
affect*
effect*
consequence*
result in
how bad
how much worse
mean for the_business|the_company|you|your
cost the business|company
hurt*
damage
risk of
at risk

[summary]
let me check|make_sure i * understood|got|heard|understand
check i * understood|got_it|got_that
play * back
read * back
let me see if i * got|understand|have|heard
see if i got
what i am hearing
what i hear
i am hearing
what i am taking away
taking away
if i understand * correctly|right
if i understood
if i have got this|that|it right
if i got this|that|it right
got this right
got that right
let me make sure
make sure i
let me play|read that|it back
play that back
to recap
recap
to sum up
sum up
summing up
in short
in other words
sounds like you|your|u|ur|the_real|the_main|the_key|it_is_the|what_you
you are saying
so you are saying
basically you|your|u|ur
just to confirm
to confirm
just so i am clear
so i am clear
correct me if
you mentioned
you said
if i heard * right|correctly
have i got that right
did i get that right
am i right
let me summarize
summarize
so the main|key|real|big
if i am hearing
what you are telling me
as you said
as you mentioned

[tag-word]
^ right $$
^ correct $$

[tag]
is that right
is that correct
am i right
did i get that right
have i got that right

[next]
ask|get|have our|my * to call|ring|contact|phone|email|get_in_touch|give_you|give_u|reach_out|visit
our|my * specialist|specialists|engineer|engineers|expert|consultant|colleague|manager|technician|advisor|adviser|rep|lead|nurse|installer|surveyor|team to|will|can|could|would * call|ring|contact|email|reach_out|give_you|give_u|get_in_touch|visit|come|pop|drop_by|text|phone|walk_you|show_you

[pitch]
we are the|a leading|top|largest|biggest|best|only|number|premier|market
leading provider|company|platform|firm
industry leader
market leader
years of experience
years in the business
we have been around|doing
founded in
we work with many|hundreds|thousands|lots
we sell
we built|build|designed|developed|made * this|it|for
we offer|provide|build|make|include|cover|support|deliver|handle|integrate|automate|focus|run|keep|stock|bring|supply|train|coach|teach|tailor|customise|customize|survey|rewrite|rebuild|install|service|refill|clean|pair|record|assign|design|consolidate|ship|store|pick|pack|insure|protect|monitor|operate|manage|collect|process|spray|embroider|wash|launder|cook|cater|treat|inspect|repair|fit|source|recycle|sew|print|prepare
only pay for|when
pay only for
we would|will|can|could build|focus|tailor|customise|customize|design|train|coach|rewrite|rebuild|survey|run|map|audit|record|shadow|assign|adapt|bring|pair|start_with|start_by|begin_with|begin_by|give_you|give_your
here is how|what
with us $$
^ with us
best on|in the market|town|industry|business|class
market-leading
best-in-class
we also
we have a|an
we have got a|an
we got a|an
we do all|the|everything|that
we do a|an full|complete|proper|deep|regular|free|quarterly|monthly|weekly|daily
we do full|regular|daily|weekly|monthly|free|quarterly|annual|same-day|next-day|onsite|on-site
go|goes|flow|flows|land|lands|feed|feeds|sync|syncs|upload|uploads|drop|drops straight|directly|automatically
in|on|into|through one|a_single screen|place|view|dashboard|app|system|tablet|list|portal|platform
is|are made from|with|of
included
all included
we look_after|take_care
we have built|developed|designed|created|made
can help you|your
help you
helps you
it helps|lets|let|allows|saves|cuts|reduces|increases|boosts|works|integrates|automatically|basically|does|comes|includes|flags|tracks|sends|shows|posts|handles|gives|makes|logs|syncs|connects|plugs|pulls|fits|hooks|talks|lives|sits|speeds|gets|turns|keeps|puts
our * can|will|lets|let|helps|help|includes|include|comes|come|covers|cover|gives|give|offers|offer|provides|supports|works|integrates|sends|saves|cuts|reduces|makes|has|have|automatically|does|do|flags|tracks|shows|posts|grind|grinds|logs|routes|uses|use|learn|teach|teaches|run|runs|take|takes|focus|focuses|handle|handles|also|would|gets|get|turns|brings|puts|keeps|drives|boosts|doubles|halves|speeds|automates|pulls|plugs|cuts|lets|makes
the|this|each|every system|platform|app|tool|software|course|training|program|programme|tracker|machine|machines|printers|printer|panels|policy|package|plan|service|solution|product|dashboard|module|modules|unit|device|scanner|kit|terminal|screen|screens|tablet|inverter|battery|sensor|sensors|camera|equipment|hardware|probe|kiosk|cover|crew|school|class|classes * can|will|lets|helps|includes|comes|come|covers|gives|offers|provides|supports|works|integrates|sends|saves|cuts|reduces|makes|automatically|does|flags|tracks|shows|posts|grind|grinds|logs|routes|uses|covers|runs|syncs|connects|keeps|stores|holds|moves|hands|assigns|transfers|notifies|reminds|alerts|updates|generates|creates|builds|calculates|plans|optimises|optimizes|pulls|puts|turns|weighs|fits|lasts|prints|cleans|uploads|charges|produces|pays|scans|needs
with our
you will be able
you would be able
you can see|track|get|save|use|manage|automate|set|access|monitor|call|book|send|run|view|reach
you get a|an|access|full
designed for|to
built for|to
feature*
benefit*
functionality
solution would|will|can
would solve
comes with
come with
includes
including
automatic*
real time
real-time
in one click
one click
dashboard*
integrat*
plugs|plug|hooks|integrates into|with
syncs with
connects to
as standard
what_we_do
let me tell you about|how|what
a bit about what_we_do|our
what we offer
our approach
hands-on
covers everything
end-to-end
all-in-one
plug and play
works with
syncs with
ai-powered
powered by
learn to
save you|u * time|money|hours
saves * time|money|hours

[company]
we help|helps
we can help
we work with
we specialise|specialize in
we are a|an

[product]
our product*|platform|software|tool*|system|solution*|service*|course*|training|program*|app|crm|offering|package|plan|plans|coaches|trainers|team|panels|policy|machine*|printers|tracker|dialer|dialler|module*
our new
our latest
our basic|premium|standard|pro|gold|silver

[objection]
guarantee*
money-back
money back
your money back
refund*
free trial
trial
try it|us|out
pilot
case stud*
clients|customers|companies|firms|teams|businesses|schools like|of you|yours|your_size
a lot of * @clients
@clients your_size|like_yours|near_you|in_your_area
lot of our
many of our
plenty of
most of our
most customers|clients|teams|companies|firms
walk away
no questions asked
no strings
break even
breaks even
felt|feel|thought|had the same
feel|felt that_way|like_that|the_same at first
at first * but
warrant*
guaranteed
parts and labour|labor
sit in on
taster
trial class|lesson|session|unit|period
try * before
before you decide|commit|buy|sign|deciding|committing|buying
at no extra|additional cost|charge
no extra|additional cost|charge
fully insured
licensed
licenced
accredited
vetted
background-checked
you do|will|would not lose|miss
you never lose|miss
not lose a|any|one|a_single
no surprises
same concern|doubt|worry|question
common concern|question|worry
lots_of|loads_of * @clients
we migrate|transfer|move
reference*
testimonial*
no risk
risk-free
risk free
genuinely no
cancel * anytime|any_time|whenever|at_any
no long-term|long_term|lock-in|contract|commitment|obligation|penalty|strings
no penalty
do not worry
rest assured
do not have to worry
nothing to worry
secure
encrypted
safe
compliant
will not lose|disrupt|affect|interrupt
no disruption|downtime|hassle
without downtime|disruption|any
less than a|an day|hour|week
only takes
takes * day|hour|minutes
single day
easy to learn|use|set up
pays for itself
pay for itself
we have helped|done|worked
we helped
over <num> teams|companies|clients|customers|schools|businesses|firms
hundreds of
thousands of
proven
results within
see results
saw a|an * lift|increase|boost|jump|rise|improvement|reduction|drop
saw results
see value
start small
cooling-off
cooling off
free of charge
support team
24/7
24 7
around the clock
in touch with * customer*|client*
hesitation
compared to|with
unlike
better than
award-winning
rated
reviews
track record
we take care of * migration|setup|it
migration is|will_be
we handle all|everything|the
uk servers
stays on
backed by
certified
trusted by
used by
switch without
made the switch
switched last
you walk $$
we handle|handled|cover|covered|pay|paid|absorb|absorbed|waive|waived the|your|any exit|cancellation|termination|switching fee*|cost*|penalt*
we import
it has helped
has helped|worked_for * companies|teams|clients|customers|businesses

# a rebuttal without evidence, in a statement: "that's why every course…"
[objection-weak]
that is why we|our|every|each|it|all|the|you
that is exactly why
this is why we|our|every
the difference with us|is|here
what makes us different
unlike most|other|others
not replace|replacing|a_replacement|here_to_replace|take_over|compete
will not be stuck|locked|tied|left
not be stuck|locked|tied|left
not stuck|locked|tied with|in|into

[price-topic]
price*
pricing
fee
fees

[price]
discount*
% off
percent off
off if
knock * off
take * off
cheaper
pay monthly|annually|upfront|up_front
payment*
pay
installment*
instalment*
billing
billed
bill
budget*
hoping|willing|want|wanting|looking|plan|planning to spend
invoice
all in $$
all in it is|comes|costs|that_is
floor price
price floor
my floor
absolute floor
the floor is
lowest
do it|this for <num>
let you have it for <num>
knock|bring|get it down to <num>
down to <num>
instead of <num>
for only|just <num>
normally|usually it is|costs|runs <num>
normally|usually <num>
go lower
bring it down
zero interest
interest free
interest-free
waive
financing
finance option*|plan*|deal*|it|over|available
0 % finance|financing|interest|apr
spread * payments|cost|the_cost
<num> a|per|each month|year|week|term|day|quarter|head|user|seat
<num> per
<num> installed|all-in|fitted|delivered|plus_vat|ex_vat
drop|bring|get it to <num>
it|that|this works|comes out
works out around|about|roughly|at|to|as
per annum
annual plan|billing|fee
monthly plan|fee
dollars
bucks
quid
grand
pounds
euros
rmb
yuan
deal on
special offer
promo*
coupon
save you * months
total comes
works out at|to
what you had in mind
set aside
value for money
free months
months free
a quote of
the cost is
costs
priced

[cost]
cheap
expensive
affordab*
afford
cost
how much
what does it cost
per user|seat|month|year|vehicle|cup|person|head|licence|license|location|week|employee

[money]
$
£
€
¥
usd
gbp
eur
dollar*
buck*
quid
<num> k
grand

[date]
monday
tuesday
wednesday
thursday
friday
saturday
sunday
tomorrow
tonight
day after tomorrow
next week|month|monday|tuesday|wednesday|thursday|friday|quarter|year|spring|summer|autumn|fall|winter
this week|weekend|friday|monday|tuesday|wednesday|thursday|afternoon|evening|morning
end of the|this|next * month|week|quarter|year
end of month|week|quarter|year
first|second|last week of
january
february
march
april
june
july
august
september
october
november
december
jan <num>
feb <num>
mar <num>
apr <num>
may <num>
jun <num>
jul <num>
aug <num>
sep <num>
sept <num>
oct <num>
nov <num>
dec <num>
<num> am|pm|o'clock|oclock

# 10:30 is one number token, a date by itself (classifier.go): no pattern
# needs to match its colon
at <num>
half past|two|three|four|five|one|ten|eleven|twelve
noon
midday
the <num> st|nd|rd|th
<num> st|nd|rd|th of
in <num> days|weeks|day|week
q1
q2
q3
q4
q <num>
week after
early|late|mid next
go-live date
launch date
start date
easter
christmas

[past]
last week|month|monday|tuesday|wednesday|thursday|friday|time|year|quarter|night
yesterday
ago
earlier
we spoke|talked|met
i sent|emailed|called|mentioned
you signed_up|downloaded|requested|asked|registered|booked|enquired|inquired|filled_in|started|visited

[expire]
until
till
expires
expire
ends
only good
only valid
valid until
runs out
gone by
last until

[time-question]
when
what time
what day
which day
what date
which date
how soon
what works
what suits
when is good

[start]
start*
kick off
kickoff
kick-off
kick things off
begin*
go live
go-live
launch*
rollout
roll out
up and running
get going
onboard*
first session
first class
set you up
switch over
install*
implement*
activate

[meet]
meet
meet up
a meeting
meeting with
call you|u back
ring you|u back
call back
phone you
give you|u a buzz|call|ring|shout
catch up
come by
drop by
pop by|in|round
swing|stop|call by|round|over|past
tour
show you around
come and see
come see
open day|evening|morning
taster day|session
come over
come out
visit
site visit
demo
demonstration
walk * through
go through it|this|the
show you
talk again
speak again
chat again
follow-up call|chat|meeting
follow up call|chat|meeting
touch base
check back|in
get together
sit down with
call with
for a call|chat|meeting
quick call|chat with|on|next|this|tomorrow
jump|hop on a * call
sit down with
zoom
teams call
video call
webinar
appointment

[action]
deliver*
delivery
ship
arrive
decide
decision
answer
get back to me
let me know
pay by|before
confirm
sign by|before
ready by
done by
installed by
up by

[propose]
how about
what about
would * work|suit|do|be_ok|be_good|be_possible
does * work|suit
work for you|u
works for you|u
suit you
suits you
sound
shall we
let us
could we
can we
we could
we can
pencil * in
aim for|to
schedule
book
are you free
free on
available
would you be
is * ok|okay|good|fine
how does
why don't we
why not
if we
work|works better
works best
work best
suits you best
best for you

[commit]
get you signed up|signed|on_board
sign you up
bind cover|the_policy|it|your_cover|coverage
put cover in place
go with the|this
go for the|it
happy to go|proceed|move
go ahead
move forward
moving forward
move|moving ahead
proceed
sign
signed
signing
signature
sign up
sign off on
deal $$
a deal
put you down
count you in
lock it in
lock in
make it official
good to go
place the order
raise the order
the order
your order
approval
approve
commit
commitment
are you in
get started
getting started
ready to
a yes
say yes
saying yes
verbal yes
we doing this
we doin this
paperwork
confirm the booking|order
book it
reserve|secure|hold|save * place|spot|seat|slot|space|spaces|places
enrol|enroll|register him|her|them|your
put the order through
put * order in
shall we do it
on board
onboard with
secure your
can we go ahead
green light
the go-ahead
sign the contract|agreement
close this
wrap this up
in or out

[next]
send you|u|over|across|through
send|shoot|email|pop|fire * over|across|through
i will send|email|mail|forward|text
let me send|email|forward
email you|u|over
shoot you|u
drop you|u
pop * in_the_post|over|across
follow up
follow-up
followup
get back to you
reach out to you
be in touch
in touch
loop in
set up a|an
arrange a|an
book a|an
schedule a|an
put together
prepare a|an
draft a|an
check back
call you back
ring you back
talk again
speak again
next step*
quote
why do not i
case studies over
recap email
calendar invite
run it|this|that by
check with your|the boss|manager|owner|director|partner|team
talk to|with your boss|manager|owner|director
connect you with our
have our * reach|call|contact|get
text you
whatsapp
message you

[send]
send
sent
email
mail
post
text you
shoot
drop you
put together
prepare
draft

[see-you +date]
@see-you @next-contact
^ talk|speak|chat @next-contact $$
^ talk|speak|chat @next-contact then $$
^ until|till @next-contact $$
^ @next-contact then $$

[see-you]
@see-you then|there|at_the|on_the|after
^ talk|speak|chat then $$
^ until|till then $$

[agreed]
as planned|agreed|promised|arranged|scheduled|discussed|we_said|we_discussed
ready for the|our|today's|this demo|call|meeting|session|walkthrough|walk-through
calling|ringing|here for|about the|our demo|walkthrough|walk-through|session

[close]
^ have a good|great|nice|lovely|wonderful|smooth|safe|successful|quiet|fun|productive
bye
good bye
bye-bye
bye bye
talk soon
speak soon
ttyl
take care
have a great|good|nice|lovely|wonderful|productive day|one|weekend|evening|afternoon|week|night
enjoy your day|weekend|evening
thanks|thank_you for your|ur time
thanks|thank_you for taking
for taking my call
rest of your day|week|weekend|afternoon|evening
thanks again
thank you again
appreciate your time
appreciate it
appreciate the time
i will let you go|get_on
let you get on
let you go
catch you later
see you later
cheers
speak to you|u later|soon
lovely|great|nice|good speaking|talking|chatting with you|u
until next time
all the best
have a good one
later $$

[thanks]
thanks
thank you
many thanks
thank u

[pressure]
are you even
even listening
listening to me
listen to me
you are * crazy|nuts|insane|mad|stupid|dumb|foolish|silly
need an|your answer now|today|right_now
answer now
what are you waiting for
you need|have|must|got to decide|sign|buy|commit|act|say_yes
you must
decide now
right now or
now or never
last chance
final chance
take it or leave it
stop wasting
waste my time
wasting my time
stupid
dumb
idiot*
moron*
ridiculous
foolish
fool
crazy|insane|mad|nuts|foolish|silly not to
regret it
you will regret
shut up
wrong with you
quit stalling
stop stalling
stop dithering
stop thinking
stop making excuses
just sign
just buy
buy it already
sign it already
damn
hell
not hanging up until
everyone else
only one left out
be the only one
huge mistake
big mistake
tell your boss
yes or no
do not have all day
better sign|buy|decide
or else
no-brainer
no brainer
eating your lunch
# "Come on, sign it" pushes; "do they come on time?" does not
^ come on
come on $$
before we hang up
you are being
every|all_the other ** already|has|have signed|bought|switched
^ seriously
everyone|everybody ** already|has|have signed|bought|switched|using
do not be
trust me
i insist
you have no choice
are you deaf

[hear]
hear me
you there
broke up
breaking up
cut out
repeat that
say that again
say again
what was that
missed that
did not catch
catch that
pardon
come again
bad line
bad connection
screen froze
headset
mic
lagging
hold on
hang on
bear with me

[ask]
tell me
walk me through
i am curious
curious
wondering
i wonder
love to know|hear
like to know|hear
help me understand
mind telling|sharing
can you share
could you share
describe
explain to me
fill me in
give me a sense
interested to know|hear

[you]
you
your
yours
you guys
y'all
yourself
