"""The four negotiating styles and the one authoritative description of each.

Every touch point (assessment result, prep plan, debrief, nudges, digests) reads its style wording from
here, so a Closer hears the same coaching in every message. ``profile_for(None)`` gives the neutral
profile used for members who have not taken the assessment yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from coaching.counterparts import CounterpartKind


class Style(StrEnum):
    """A negotiating style, as found by the assessment. Declaration order is the tie-break order."""

    CLOSER = "closer"
    DIPLOMAT = "diplomat"
    STRATEGIST = "strategist"
    GAME_CHANGER = "game_changer"

    @property
    def label(self) -> str:
        """Emoji and name, e.g. ``🦁 Closer``."""
        profile = PROFILES[self]
        return f"{profile.emoji} {profile.name}"


class DebriefMoment(StrEnum):
    """What a debrief mostly showed; picks the style's reflection question and lesson."""

    LIMIT_BREACHED = "limit_breached"
    GIVEAWAY = "giveaway"
    NO_AGREEMENT = "no_agreement"
    BALANCED = "balanced"


@dataclass(frozen=True, slots=True)
class CounterpartReading:
    """How to recognise a counterpart of this style and how to adapt to them."""

    signs: tuple[str, ...]
    adapt: tuple[str, ...]
    avoid: str


@dataclass(frozen=True, slots=True)
class StyleProfile:
    """Everything Parley says about one style (or about no style yet, when ``style`` is None)."""

    style: Style | None
    name: str
    emoji: str
    essence: str
    strengths: tuple[str, ...]
    blind_spots: tuple[str, ...]
    watch_in_prep: tuple[str, ...]
    watch_in_room: tuple[str, ...]
    watch_in_debrief: tuple[str, ...]
    concedes: str
    coaching: tuple[str, ...]
    as_counterpart: CounterpartReading | None
    kind_notes: Mapping[CounterpartKind, str]
    reflection: Mapping[DebriefMoment, str]
    lesson: Mapping[DebriefMoment, str]
    nudge: str

    @property
    def label(self) -> str:
        """Emoji and name, e.g. ``🐬 Diplomat``."""
        return f"{self.emoji} {self.name}"

    def note_for(self, kind: CounterpartKind) -> str:
        """The style's advice for this kind of counterpart."""
        return self.kind_notes[kind]


def _kinds(**notes: str) -> Mapping[CounterpartKind, str]:
    mapping = {CounterpartKind(key): value for key, value in notes.items()}
    assert set(mapping) == set(CounterpartKind), "every counterpart kind needs a note"
    return MappingProxyType(mapping)


def _moments(**texts: str) -> Mapping[DebriefMoment, str]:
    mapping = {DebriefMoment(key): value for key, value in texts.items()}
    assert set(mapping) == set(DebriefMoment), "every debrief moment needs a text"
    return MappingProxyType(mapping)


CLOSER = StyleProfile(
    style=Style.CLOSER,
    name="Closer",
    emoji="🦁",
    essence="Drives for a decision and gets deals over the line.",
    strengths=(
        "Asks for the commitment plainly and early.",
        "Keeps momentum: meetings end with agreed next steps.",
        "Comfortable stating a firm number and living with the pause after it.",
    ),
    blind_spots=(
        "Treats a fast yes as a good yes.",
        "Skips discovery when the answer seems obvious.",
        "Pays for speed with a last-minute concession.",
    ),
    watch_in_prep=(
        "Write the questions you will ask before the number you will push for.",
        "Price your speed: decide what a quick close is worth to them and what you want for it.",
        "Put your walk-away in writing so the urge to close cannot move it.",
    ),
    watch_in_room=(
        "The moment you want to say 'fine, done' is the moment to say 'if you…'.",
        "After you state a condition, stop talking and let them answer.",
        "Treat 'one more small thing' after the handshake as a new trade, not a formality.",
    ),
    watch_in_debrief=(
        "Look hardest at your last concession: was it traded, or given to get the signature?",
        "Check whether you learnt why they wanted what they asked for.",
    ),
    concedes=(
        "Holds firm through the middle, then gives the final concession (often the biggest) "
        "to get the signature, usually without asking for anything back."
    ),
    coaching=(
        "Make every closing concession conditional: the close is what you are selling, so charge for it.",
        "Slow discovery down by two questions; speed everything after it up.",
        "Use a deadline as something to trade, not as a threat.",
    ),
    as_counterpart=CounterpartReading(
        signs=(
            "Pushes for a decision in this meeting.",
            "Offers something in exchange for signing today.",
            "Gets impatient with detail and long explanations.",
        ),
        adapt=(
            "Have your conditional trades ready, so their pace works for you rather than against you.",
            "Agree the whole package before any single piece: nothing is settled until everything is.",
            "Answer briefly and propose a decision date that you control.",
        ),
        avoid="Don't accept a 'sign today' offer without checking it against your limits.",
    ),
    kind_notes=_kinds(
        management=(
            "Executives like decisiveness, but don't trade course time for a quick yes: ask what they "
            "observed and how results will be measured before you agree any change."
        ),
        consultant=(
            "Pushing a sought-after expert on price to close fast can cost you the expert. Close on a "
            "package instead: extra days, coaching sessions or tailored material at the same fee."
        ),
        learner=(
            "A quick 'fine, go' to an excuse teaches that asking works. Close on a trade: the time they "
            "miss in exchange for a catch-up they commit to."
        ),
        customer=(
            "Resist the discount-for-a-signature. If they want speed, ask for what pays for it: a longer "
            "term, payment up front, a reference."
        ),
        supplier=(
            "Don't accept the first delay or surcharge just to keep things moving; make any acceptance "
            "conditional on something you need."
        ),
        other="Make sure you understand the need before you push for a decision.",
    ),
    reflection=_moments(
        limit_breached=(
            "What was happening at the moment you went past your limit: were you trying to close?"
        ),
        giveaway="Which concession did you give to get to yes, and what could you have asked for instead?",
        no_agreement="Did you push for a decision before you understood what they needed?",
        balanced="Which question gave you the information that made the trade work?",
    ),
    lesson=_moments(
        limit_breached=(
            "A limit only protects you if the wish to close cannot move it; next time, name the limit "
            "with a counter they will refuse."
        ),
        giveaway="The close has value: make your final concession conditional on something you want.",
        no_agreement=(
            "No deal is fine when your limits held; next time, spend longer on the probing questions first."
        ),
        balanced="You traded instead of giving: keep closing on conditions.",
    ),
    nudge="The deal isn't closed until this is done: {what} (due {due}).",
)

DIPLOMAT = StyleProfile(
    style=Style.DIPLOMAT,
    name="Diplomat",
    emoji="🐬",
    essence="Builds trust and looks for the agreement everyone can live with.",
    strengths=(
        "Reads people and hears the need behind a request.",
        "Keeps relationships intact through hard conversations.",
        "Finds common ground when talks stall.",
    ),
    blind_spots=(
        "Gives without getting: goodwill spent, nothing banked.",
        "Avoids the firm counter that a limit needs.",
        "Takes reasonable-sounding excuses at face value.",
    ),
    watch_in_prep=(
        "Next to everything you'd happily give, write what you will ask for in return.",
        "Say the sentence that defends your firmest limit out loud until it feels natural.",
        "Fix your walk-away before you think about how they will feel.",
    ),
    watch_in_room=(
        "When you feel the urge to offer, turn it into a question: 'what would make that possible for you?'",
        "Replace 'sure, no problem' with 'I can, if…'.",
        "Let a silence sit instead of rescuing it with a concession.",
    ),
    watch_in_debrief=(
        "Count what you gave before you were asked.",
        "Judge each concession by what came back, not by how warm the meeting felt.",
    ),
    concedes=(
        "Concedes early and in small, friendly steps to keep the mood warm, often before being asked, "
        "and rarely attaches a condition."
    ),
    coaching=(
        "Generosity works when it is deliberate: attach an 'if' to every yes.",
        "Holding a limit protects the relationship too; an unfair deal sours later.",
        "Use your rapport to ask the probing questions other people can't.",
    ),
    as_counterpart=CounterpartReading(
        signs=(
            "Opens with the relationship and asks how things are going.",
            "Asks what you need and listens closely.",
            "Finds it hard to say no directly.",
        ),
        adapt=(
            "Be warm back and say plainly what you need; they respond to honesty.",
            "Make every trade explicit so the agreement still holds later.",
            "Check quiet agreement: ask what would make it work for them.",
        ),
        avoid="Don't exploit their goodwill: the deal won't stick and the relationship will pay for it.",
    ),
    kind_notes=_kinds(
        management=(
            "Back the executive's goal without shrinking the programme: agree with the need, then trade "
            "any time off the course for something you need, such as a seat in planning."
        ),
        consultant=(
            "Your rapport with the consultant is an asset: use it to find where they can flex, rather "
            "than accepting the fee and the package as they stand."
        ),
        learner=(
            "Empathy doesn't mean excusing: acknowledge the pressure, link attendance to what they will "
            "gain, and trade any time off for a commitment."
        ),
        customer=(
            "Keeping the customer happy doesn't require a discount. Ask what is driving the push and "
            "offer value that costs you less."
        ),
        supplier=(
            "A good partner holds the other side to the agreement: ask for a credit or a fix in return "
            "for any flexibility."
        ),
        other="Agree on the problem warmly, then attach a condition to every concession.",
    ),
    reflection=_moments(
        limit_breached=(
            "What made it hard to hold the limit, and what could you have said that was both kind and firm?"
        ),
        giveaway="When you gave without asking, what were you hoping to protect?",
        no_agreement="Did you say what you needed as clearly as you listened to what they needed?",
        balanced="How did you keep the relationship warm while still trading?",
    ),
    lesson=_moments(
        limit_breached=(
            "Holding a limit is respectful to both sides; a clearly unacceptable counter says no "
            "without a fight."
        ),
        giveaway="Goodwill is not a return: ask 'if I do this, would you…?' before you give.",
        no_agreement="Being clear about your own needs is part of a mutual agreement, not a threat to it.",
        balanced="Warmth plus conditions works: keep pairing them.",
    ),
    nudge="They are counting on this, and keeping it keeps their trust: {what} (due {due}).",
)

STRATEGIST = StyleProfile(
    style=Style.STRATEGIST,
    name="Strategist",
    emoji="🦉",
    essence="Plans every angle and trusts evidence over instinct.",
    strengths=(
        "Arrives with options, costs and a fallback.",
        "Links proposals to measurable outcomes and return on investment.",
        "Spots the hidden cost in an offer.",
    ),
    blind_spots=(
        "Prepares the case thoroughly and the person hardly at all.",
        "Sticks to the script when the conversation moves.",
        "Gives away what wasn't in the plan, because it was never costed.",
    ),
    watch_in_prep=(
        "Cap the spreadsheet time; spend the rest on what this person is worried about.",
        "Cost the items you think don't matter: time, scope, dates.",
        "Prepare two questions you don't know the answer to.",
    ),
    watch_in_room=(
        "Hear the reason behind the request before you present the data.",
        "When something unplanned comes up, say 'let me come back to you on that' instead of conceding.",
        "Share one number, not ten.",
    ),
    watch_in_debrief=(
        "Check the concessions that weren't in your plan.",
        "Write down what you learnt about the person, not only about the numbers.",
    ),
    concedes=(
        "Holds firmly on everything in the plan, then gives up unplanned items (time, scope, a date) "
        "cheaply, because they were never costed."
    ),
    coaching=(
        "Your preparation is a strength; add the person to it: what does success look like for them?",
        "Put a price on everything, including the 'soft' items.",
        "Flexibility is a move too: prepare options, not a single script.",
    ),
    as_counterpart=CounterpartReading(
        signs=(
            "Asks for data, detail and written proposals.",
            "Takes time to decide and wants to check first.",
            "Challenges numbers and assumptions.",
        ),
        adapt=(
            "Bring evidence: baselines, measures and costs.",
            "Give them time: propose a decision date rather than pushing for today.",
            "Put trades in writing, with the numbers.",
        ),
        avoid="Don't improvise figures; one wrong number costs you their trust.",
    ),
    kind_notes=_kinds(
        management=(
            "Lead with questions, not the business case: what did they see, what do they expect, how "
            "will it be measured. Then bring the numbers."
        ),
        consultant=(
            "Benchmarking the fee is not the whole story: ask what they can add, and judge the package "
            "by value for the money rather than by the day rate."
        ),
        learner=(
            "A learner is not a row in the attendance sheet: find out what is really in the way before "
            "quoting the policy."
        ),
        customer=(
            "Prepare the like-for-like comparison, and also find out what the customer is actually "
            "trying to solve."
        ),
        supplier=(
            "Your cost model is strong; add a plan for the unplanned (delays, substitutions) and what "
            "you will ask for in each case."
        ),
        other="Prepare options as well as positions, so you can adapt when the conversation changes.",
    ),
    reflection=_moments(
        limit_breached="Was the limit you breached one your plan hadn't costed or expected to be pushed?",
        giveaway="Which concession wasn't in your plan, and what was it actually worth?",
        no_agreement="What did you learn about their needs that your plan didn't predict?",
        balanced="Which part of your preparation paid off, and what would you drop next time?",
    ),
    lesson=_moments(
        limit_breached="Plan for the push: decide in prep exactly what you will say when a limit is tested.",
        giveaway="Put a price on the 'soft' items: time, scope and dates are concessions too.",
        no_agreement="Prepare the person, not only the numbers, and adapt the plan when they surprise you.",
        balanced="Your plan worked: keep the numbers and add one more question about the person.",
    ),
    nudge="This is part of the plan you agreed; delivering it keeps the numbers honest: {what} (due {due}).",
)

GAME_CHANGER = StyleProfile(
    style=Style.GAME_CHANGER,
    name="Game Changer",
    emoji="🐵",
    essence="Reframes the problem and invents options nobody else saw.",
    strengths=(
        "Breaks deadlock with creative packages.",
        "Finds value beyond price: timing, format, scope.",
        "Brings energy and keeps options open.",
    ),
    blind_spots=(
        "Improvises past the limits set in prep.",
        "Offers new ideas before costing them.",
        "Leaves with a great conversation and vague commitments.",
    ),
    watch_in_prep=(
        "Write the limits your ideas must stay inside where you will see them during the meeting.",
        "Cost the three ideas you are most likely to float.",
        "Decide which commitments you need in writing before you leave.",
    ),
    watch_in_room=(
        "Before floating a new idea, check it against your limits and what it costs.",
        "Turn every idea into a trade: 'if you…, then we could…'.",
        "End by reading back who does what, by when.",
    ),
    watch_in_debrief=(
        "List the ideas you offered that weren't in your prep, and what each one costs.",
        "Check that every agreement has an owner and a date.",
    ),
    concedes=(
        "Concedes by invention: adds extras and new formats on the spot to unlock the deal, "
        "without costing them or checking them against the limits."
    ),
    coaching=(
        "Be creative inside the fence: limits first, ideas second.",
        "Price the idea before you pitch it.",
        "Close the loop: an idea counts once it is written down with an owner and a date.",
    ),
    as_counterpart=CounterpartReading(
        signs=(
            "Proposes new formats and packages in the middle of the meeting.",
            "Changes the frame when things get stuck.",
            "Enthusiastic and fast, light on detail.",
        ),
        adapt=(
            "Welcome the ideas, then cost each one before agreeing to it.",
            "Bring the conversation back to the objectives and your limits.",
            "Write the commitments down before the meeting ends.",
        ),
        avoid="Don't let a clever reframe slip past one of your limits.",
    ),
    kind_notes=_kinds(
        management=(
            "A new format may be the answer, but check it against your limits before you pitch it, and "
            "ask for something in return."
        ),
        consultant=(
            "Creative packages work well with consultants: cost each idea, and bring management into "
            "the conversation so the package fits the real objective."
        ),
        learner=(
            "An alternative to attending can be a good trade; make it specific (what, when, with whom) "
            "and get it agreed."
        ),
        customer=(
            "Bundles and new terms can beat a discount; cost every element and stay inside your limits."
        ),
        supplier=(
            "An alternative arrangement can rescue the timeline; write down what each option costs and "
            "who owes what."
        ),
        other="Use your ideas to widen the deal, and keep a running list of what each one costs.",
    ),
    reflection=_moments(
        limit_breached="Which idea took you past the limit, and at what point could you have checked it?",
        giveaway="Which of the extras you came up with did you get nothing for?",
        no_agreement="Did the new options help them decide, or make it harder?",
        balanced="Which creative option unlocked the trade, and is it written down with an owner and a date?",
    ),
    lesson=_moments(
        limit_breached="Check each new idea against your limits before you say it out loud.",
        giveaway="Every idea is a trade: say 'if you…, then we could…' before you pitch it.",
        no_agreement="Fewer, costed options make it easier for the other side to say yes.",
        balanced="Creativity plus follow-through: keep turning ideas into written commitments.",
    ),
    nudge="Good ideas count once they are delivered: {what} (due {due}).",
)

NEUTRAL = StyleProfile(
    style=None,
    name="No style yet",
    emoji="🧭",
    essence="Take the style assessment (/negotiate style) for coaching in your own style.",
    strengths=(),
    blind_spots=(),
    watch_in_prep=(
        "Decide your limits and your walk-away before the meeting, not during it.",
        "Next to everything you could give, write what it costs you and what you want for it.",
        "Prepare questions that uncover the need behind the request.",
    ),
    watch_in_room=(
        "Phrase every concession as 'if you…, then we…'.",
        "When a request breaks a limit, show the limit with a counter they will refuse.",
        "Summarise who does what, by when, before you leave.",
    ),
    watch_in_debrief=(
        "List every concession and what came back for it.",
        "Compare what happened with the limits you set.",
    ),
    concedes="Everyone concedes somewhere; the assessment shows where you tend to.",
    coaching=(
        "Trade, never give: a concession without a return invites the next request.",
        "Uncover the real need before you negotiate the request.",
        "Ask for commitments early, with conditions agreed at the start.",
    ),
    as_counterpart=None,
    kind_notes=_kinds(
        management=(
            "Ask what was observed, what outcome is expected and how it will be measured before "
            "agreeing any change to time or cost."
        ),
        consultant=(
            "Don't fixate on price: find where they can flex (extra days, coaching, tailored material), "
            "and bring them together with management."
        ),
        learner=("Link each responsibility to what the learner gains, and ask what is behind an excuse."),
        customer="Find out what is behind the push on price, and offer value that costs you less.",
        supplier="Hold the supplier to the agreement, and make any flexibility conditional.",
        other="Uncover the need first, and write the commitments down.",
    ),
    reflection=_moments(
        limit_breached="What would you say differently the next time that limit is pushed?",
        giveaway="What could you have asked for in return for the concession you gave away?",
        no_agreement="What did you learn about what the other side really needed?",
        balanced="What made the trade work, and how will you repeat it?",
    ),
    lesson=_moments(
        limit_breached="Decide in prep what you'll say when a limit is pushed, and say it.",
        giveaway="Trade, never give: attach a condition to every concession.",
        no_agreement="A no deal that protects your limits is a result; keep the door open with a next step.",
        balanced="You traded rather than gave: keep doing it.",
    ),
    nudge="A commitment kept is a stronger position next time: {what} (due {due}).",
)

PROFILES: Mapping[Style, StyleProfile] = MappingProxyType(
    {
        Style.CLOSER: CLOSER,
        Style.DIPLOMAT: DIPLOMAT,
        Style.STRATEGIST: STRATEGIST,
        Style.GAME_CHANGER: GAME_CHANGER,
    }
)


def profile_for(style: Style | None) -> StyleProfile:
    """The profile for a style, or the neutral profile for members with no style yet."""
    return NEUTRAL if style is None else PROFILES[style]
