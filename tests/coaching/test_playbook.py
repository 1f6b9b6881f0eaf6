from __future__ import annotations

from datetime import time
from fractions import Fraction
from pathlib import Path

import pytest

from coaching.counterparts import CounterpartKind
from coaching.money import Money
from coaching.playbook import (
    DEFAULT_SOURCE,
    MIN_TIPS,
    Playbook,
    PlaybookError,
    PlaybookProblem,
    load_default,
    parse_playbook,
)
from coaching.styles import Style
from coaching.worktime import NudgeStep, StepKind, WorkingHours


def problems(text: str, source: str = "acme.toml") -> list[str]:
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(text, source)
    return [str(problem) for problem in caught.value.problems]


class TestDefault:
    def test_policy_defaults(self, playbook: Playbook) -> None:
        policy = playbook.policy
        assert policy.default_currency == "USD"
        assert policy.working_hours == WorkingHours(time(9), time(18), (0, 1, 2, 3, 4))
        assert [step.key for step in policy.nudge_cadence] == ["before-1", "due", "after-1", "after-3"]
        assert policy.max_unanswered_nudges == 4
        assert policy.balance_attention_ratio == Fraction(1)
        assert policy.max_concession == Money(500000, "USD")
        assert (policy.chargeback.notice_days, policy.chargeback.percent) == (14, 50)
        assert (policy.digest_day, policy.digest_time) == (0, time(9))
        assert (policy.approval_reminder_hours, policy.approval_escalation_hours) == (24, 72)
        assert policy.approval_expiry_hours == 168

    def test_content(self, playbook: Playbook) -> None:
        assert playbook.name == "Parley standard playbook"
        assert playbook.sources == (DEFAULT_SOURCE,)
        for kind in CounterpartKind:
            assert len(playbook.questions_for(kind)) >= 4
            assert playbook.counter_for(kind).endswith("?")
        for style in (*Style, None):
            assert len(playbook.tips_for(style)) >= MIN_TIPS
        assert playbook.checklists.prep and playbook.checklists.room and playbook.checklists.debrief
        assert {"trade-never-give", "unacceptable-counter", "commit-early", "uncover-the-need"} <= {
            move.id for move in playbook.moves
        }

    def test_the_standard_questions(self, playbook: Playbook) -> None:
        management = " ".join(playbook.questions_for(CounterpartKind.MANAGEMENT))
        assert "observed" in management and "outcome" in management and "measure" in management
        consultant = " ".join(playbook.questions_for(CounterpartKind.CONSULTANT))
        assert "flex" in consultant and "coaching sessions" in consultant and "leadership" in consultant

    def test_moves_for_a_kind(self, playbook: Playbook) -> None:
        learner = {move.id for move in playbook.moves_for(CounterpartKind.LEARNER)}
        assert "link-responsibility-to-outcome" in learner and "look-beyond-price" not in learner
        move = playbook.move("look-beyond-price")
        assert move is not None and move.applies_to(CounterpartKind.CONSULTANT)
        assert not move.applies_to(CounterpartKind.LEARNER)
        assert playbook.move("nope") is None

    def test_policy_placeholders_are_filled(self, playbook: Playbook) -> None:
        move = playbook.move("commit-early")
        assert move is not None and "{notice_days}" in move.language[1]
        filled = playbook.with_policy(move)
        assert filled.language[1] == (
            "Places cancelled with less than 14 days' notice are charged back at 50 % to the department."
        )
        assert filled.language[0] == move.language[0]

    def test_load_default_is_cached_and_equal_to_an_empty_override(self, playbook: Playbook) -> None:
        assert load_default() is playbook
        merged = parse_playbook("", "empty.toml")
        assert merged.sources == (DEFAULT_SOURCE, "empty.toml")
        assert (merged.policy, merged.moves, merged.tips) == (playbook.policy, playbook.moves, playbook.tips)


class TestMerge:
    def test_scalars_override(self, playbook: Playbook) -> None:
        merged = parse_playbook(
            """
            name = "Acme way"
            [policy]
            default_currency = "eur"
            working_hours = { end = "17:30" }
            working_days = ["sun", "monday", "tue", "wed", "thu"]
            digest_day = "friday"
            digest_time = 08:15:00
            balance_attention_ratio = 1.5
            max_concession = "2,500"
            [policy.chargeback]
            percent = 100
            """,
            "acme.toml",
        )
        policy = merged.policy
        assert merged.name == "Acme way"
        assert policy.default_currency == "EUR"
        assert policy.working_hours == WorkingHours(time(9), time(17, 30), (0, 1, 2, 3, 6))
        assert (policy.digest_day, policy.digest_time) == (4, time(8, 15))
        assert policy.balance_attention_ratio == Fraction(3, 2)
        assert policy.max_concession == Money(250000, "EUR")
        assert (policy.chargeback.notice_days, policy.chargeback.percent) == (14, 100)

    def test_the_default_max_concession_follows_a_new_currency(self) -> None:
        assert parse_playbook('[policy]\ndefault_currency = "JPY"', "x").policy.max_concession == Money(
            5000, "JPY"
        )

    def test_lists_replace_unless_extended(self, playbook: Playbook) -> None:
        merged = parse_playbook(
            """
            [questions]
            management = ["Only this?"]
            [extend.questions]
            learner = ["And this?"]
            [extend.tips]
            closer = ["Extra closer tip"]
            [extend.checklists]
            room = ["Smile"]
            """,
            "acme.toml",
        )
        assert merged.questions_for(CounterpartKind.MANAGEMENT) == ("Only this?",)
        assert merged.questions_for(CounterpartKind.LEARNER) == (
            *playbook.questions_for(CounterpartKind.LEARNER),
            "And this?",
        )
        assert merged.tips_for(Style.CLOSER)[-1] == "Extra closer tip"
        assert merged.checklists.room[-1] == "Smile"
        assert merged.checklists.prep == playbook.checklists.prep

    def test_moves_merge_by_id(self, playbook: Playbook) -> None:
        merged = parse_playbook(
            """
            [[moves]]
            id = "trade-never-give"
            language = ["If you …, then we …"]
            [[moves]]
            id = "package-not-piece"
            enabled = false
            [[moves]]
            id = "silence"
            name = "Use silence"
            when = "After you make an offer."
            language = ["(say nothing)"]
            kinds = ["customer"]
            """,
            "acme.toml",
        )
        ids = [move.id for move in merged.moves]
        assert ids[: len(ids) - 1] == [m.id for m in playbook.moves if m.id != "package-not-piece"]
        trade = merged.move("trade-never-give")
        assert trade is not None and trade.language == ("If you …, then we …",)
        assert trade.name == "Trade, never give"
        silence = merged.move("silence")
        assert silence is not None and silence.why == "" and silence.kinds == (CounterpartKind.CUSTOMER,)


class TestProblems:
    def test_every_problem_is_reported_with_its_path(self) -> None:
        found = problems(
            """
            name = 5
            colour = "red"
            [policy]
            default_currency = "XXX"
            working_hours = { start = "19:00", end = "18:00" }
            working_days = ["mon", "someday", "mon"]
            nudge_cadence = ["due", "before-1"]
            max_unanswered_nudges = 0
            balance_attention_ratio = -1
            digest_day = "funday"
            digest_time = "25:00"
            approval_reminder_hours = 100
            approval_expiry_hours = true
            [policy.chargeback]
            notice_days = -1
            percent = "half"
            [questions]
            management = ["ok", 3, ""]
            boss = ["?"]
            [tips]
            closer = ["only one"]
            [[moves]]
            id = "new-one"
            name = "x"
            [[moves]]
            name = "no id"
            """
        )
        assert found == [
            "acme.toml: colour: expected one of: name, policy, moves, questions, counters, checklists, tips, "
            "extend, found unknown key 'colour'",
            "acme.toml: name: expected non-empty text, found the number 5",
            'acme.toml: policy.default_currency: expected an ISO 4217 currency code such as "USD", '
            "found the text 'XXX'",
            "acme.toml: policy.working_days[2]: expected a weekday: mon, tue, wed, thu, fri, sat, sun, "
            "found the text 'someday'",
            "acme.toml: policy.nudge_cadence: expected steps in time order, each once, found due, before-1",
            "acme.toml: policy.max_unanswered_nudges: expected "
            "a whole number from 1 to 20, found the number 0",
            "acme.toml: policy.balance_attention_ratio: expected "
            "a number above 0 and at most 100, such as 1.0, "
            "found the number -1",
            "acme.toml: policy.digest_day: expected a weekday: mon, tue, wed, thu, fri, sat, sun, "
            "found the text 'funday'",
            "acme.toml: policy.digest_time: expected a time of day such as \"09:00\", found the text '25:00'",
            "acme.toml: policy.approval_expiry_hours: expected a whole number from 1 to 2160, found true",
            "acme.toml: policy.chargeback.notice_days: expected "
            "a whole number from 0 to 365, found the number -1",
            "acme.toml: policy.chargeback.percent: expected a "
            "whole number from 0 to 100, found the text 'half'",
            "acme.toml: moves[2].id: expected an id of lower-case "
            "letters, digits, '-' and '_', found nothing",
            "acme.toml: questions.boss: expected one of: "
            "management, consultant, learner, customer, supplier, "
            "other, found unknown key 'boss'",
            "acme.toml: questions.management[2]: expected non-empty text, found the number 3",
            "acme.toml: questions.management[3]: expected non-empty text, found empty text",
            "acme.toml: policy.working_hours: expected a start before the end, found 19:00 to 18:00",
            "acme.toml: policy.approval_escalation_hours: expected "
            "more hours than approval_reminder_hours (100), "
            "found the number 72",
            "acme.toml: tips.closer: expected at least 2 tips "
            "(they rotate weekly, never the same twice in a row), "
            "found 1 tip",
            "acme.toml: moves[1]: expected a new move to have "
            "name, when and language, found no when or language",
        ]

    def test_the_error_message_lists_them_all(self) -> None:
        with pytest.raises(PlaybookError) as caught:
            parse_playbook("name = 5\n[policy]\nmax_unanswered_nudges = 0", "a.toml")
        assert str(caught.value) == (
            "2 problems in the playbook:\n"
            "- a.toml: name: expected non-empty text, found the number 5\n"
            "- a.toml: policy.max_unanswered_nudges: expected a whole number from 1 to 20, found the number 0"
        )

    def test_syntax_errors_have_line_and_column(self) -> None:
        with pytest.raises(PlaybookError) as caught:
            parse_playbook('name = "ok"\n[policy]\ndefault_currency = = 1\n', "bad.toml")
        (problem,) = caught.value.problems
        assert problem == PlaybookProblem("bad.toml", "", "valid TOML", "Invalid value", 3, 20)
        assert str(problem) == "bad.toml:3:20: expected valid TOML, found Invalid value"
        assert (
            str(caught.value)
            == "1 problem in the playbook:\n- bad.toml:3:20: expected valid TOML, found Invalid value"
        )

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("policy = 3", "acme.toml: policy: expected a table, found the number 3"),
            ("moves = 3", "acme.toml: moves: expected a list of tables ([[moves]]), found the number 3"),
            ("moves = [3]", "acme.toml: moves[1]: expected a table, found the number 3"),
            (
                '[[moves]]\nid = "Bad Id"',
                "acme.toml: moves[1].id: expected an id of lower-case "
                "letters, digits, '-' and '_', found the text 'Bad Id'",
            ),
            (
                '[[moves]]\nid = "x"\nenabled = "no"',
                "acme.toml: moves[1].enabled: expected true or false, found the text 'no'",
            ),
            (
                '[[moves]]\nid = "x"\nkinds = ["boss"]',
                "acme.toml: moves[1].kinds[1]: expected one of: management, consultant, learner, customer, "
                "supplier, other, found the text 'boss'",
            ),
            (
                '[[moves]]\nid = "x"\nkinds = "all"',
                "acme.toml: moves[1].kinds: expected a list of counterpart kinds: management, consultant, "
                "learner, customer, supplier, other, found the text 'all'",
            ),
            (
                '[[moves]]\nid = "trade-never-give"\n[[moves]]\nid = "trade-never-give"',
                "acme.toml: moves[2].id: expected an id not used "
                "before (also moves[1]), found 'trade-never-give'",
            ),
            (
                "[questions]\nlearner = []",
                "acme.toml: questions.learner: expected a non-empty list of text, found a list of 0 items",
            ),
            (
                "[counters]\nlearner = 1",
                "acme.toml: counters.learner: expected non-empty text, found the number 1",
            ),
            (
                '[tips]\nno_style = ["a"]',
                "acme.toml: tips.no_style: expected at least 2 tips (they "
                "rotate weekly, never the same twice in a row), found 1 tip",
            ),
            (
                "[extend]\nmoves = []",
                "acme.toml: extend.moves: expected one of: questions, "
                "checklists, tips, usually_gives, found unknown key 'moves'",
            ),
            (
                '[extend.tips]\ncloser = ["x" ]\nnobody = ["y"]',
                "acme.toml: extend.tips.nobody: expected one of: closer, diplomat, "
                "strategist, game_changer, no_style, found unknown key 'nobody'",
            ),
            (
                "[policy]\nworking_days = []",
                "acme.toml: policy.working_days: expected a non-empty list "
                'of weekdays such as ["mon", "tue"], found a list of 0 items',
            ),
            (
                '[policy]\nworking_days = ["mon", "mon"]',
                "acme.toml: policy.working_days: expected each weekday at most once, found a list of 2 items",
            ),
            (
                '[policy]\nnudge_cadence = "due"',
                "acme.toml: policy.nudge_cadence: expected a non-empty list "
                'such as ["before-1", "due", "after-1"], found the text \'due\'',
            ),
            (
                '[policy]\nnudge_cadence = ["soon"]',
                "acme.toml: policy.nudge_cadence[1]: expected 'before-N', "
                "'due' or 'after-N' (N from 1 to 99), found the text 'soon'",
            ),
            (
                "[policy]\nmax_concession = [1]",
                "acme.toml: policy.max_concession: expected an amount "
                'such as "5,000" or "5,000 EUR", found a list of 1 item',
            ),
            (
                '[policy]\nmax_concession = "lots"',
                "acme.toml: policy.max_concession: expected an amount "
                "such as \"5,000\", found 'lots' is not an amount",
            ),
            (
                '[policy]\nworking_hours = { start = "9" }',
                "acme.toml: policy.working_hours.start: expected a "
                "time of day such as \"09:00\", found the text '9'",
            ),
            (
                '[policy]\nworking_hours = { lunch = "12:00" }',
                "acme.toml: policy.working_hours.lunch: expected "
                "one of: start, end, found unknown key 'lunch'",
            ),
            (
                "[policy]\napproval_expiry_hours = 50",
                "acme.toml: policy.approval_expiry_hours: expected more hours "
                "than approval_escalation_hours (72), found the number 50",
            ),
            (
                '[checklists]\nprep = ["' + "x" * 301 + '"]',
                "acme.toml: checklists.prep[1]: expected text of "
                "at most 300 characters, found 301 characters",
            ),
            ("name = 2024-01-01", "acme.toml: name: expected non-empty text, found the date/time 2024-01-01"),
        ],
    )
    def test_single_problems(self, text: str, expected: str) -> None:
        assert problems(text) == [expected]

    def test_a_disabled_unknown_move_needs_nothing_else(self) -> None:
        merged = parse_playbook('[[moves]]\nid = "ghost"\nenabled = false', "x")
        assert merged.move("ghost") is None

    def test_steps_parse(self) -> None:
        assert NudgeStep.parse("before-2") == NudgeStep(StepKind.BEFORE, 2)
        merged = parse_playbook('[policy]\nnudge_cadence = ["before-2", "due", "after-5"]', "x")
        assert [s.key for s in merged.policy.nudge_cadence] == ["before-2", "due", "after-5"]


class TestTheDocumentation:
    DOC = Path(__file__).resolve().parents[2] / "docs" / "playbook.md"

    def test_the_example_loads(self, playbook: Playbook) -> None:
        text = self.DOC.read_text(encoding="utf-8")
        example = text.split("```toml\n", 1)[1].split("```", 1)[0]
        merged = parse_playbook(example, "example.toml")
        assert merged.name == "Acme negotiation standard"
        assert merged.policy.default_currency == "EUR"
        assert merged.policy.working_hours == WorkingHours(time(8, 30), time(17), (0, 1, 2, 3, 4))
        assert merged.policy.max_concession == Money(1000000, "EUR")
        assert merged.policy.balance_attention_ratio == Fraction(6, 5)
        assert (merged.policy.chargeback.notice_days, merged.policy.chargeback.percent) == (10, 75)
        assert len(merged.questions_for(CounterpartKind.MANAGEMENT)) == 3
        assert merged.tips_for(Style.CLOSER)[-1].startswith("Before the handshake")
        assert merged.move("package-not-piece") is None
        silence = merged.move("silence-after-the-offer")
        assert silence is not None and silence.kinds == (CounterpartKind.CUSTOMER, CounterpartKind.SUPPLIER)

    def test_the_documented_errors_are_real(self) -> None:
        found = problems(
            '[policy.chargeback]\npercent = 150\n[questions]\nmanagement = ["a", 3]\n[tips]\ncloser = ["x"]'
        )
        text = self.DOC.read_text(encoding="utf-8")
        for line in found:
            assert f"- {line}" in text.replace("acme.toml", "acme.toml")


class TestUsuallyGives:
    """The organisation's playbook extends what each kind of counterpart usually gives."""

    def test_extend_usually_gives_adds_to_the_defaults_for_that_kind(self) -> None:
        from coaching.direction import wrong_side
        from coaching.items import Tradeable

        merged = parse_playbook(
            '[extend.usually_gives]\ncustomer = ["logo on our website"]\nlearner = ["peer feedback"]',
            "acme.toml",
        )
        assert merged.usually_gives_for(CounterpartKind.CUSTOMER) == ("logo on our website",)
        assert merged.usually_gives_for(CounterpartKind.SUPPLIER) == ()
        mine = (Tradeable("Logo on our website"), Tradeable("Case study"), Tradeable("Onboarding day"))
        flagged = wrong_side(
            mine, CounterpartKind.CUSTOMER, merged.usually_gives_for(CounterpartKind.CUSTOMER)
        )
        assert [w.item for w in flagged] == ["Logo on our website", "Case study"]  # the default still applies
        assert [w.item for w in wrong_side(mine, CounterpartKind.CUSTOMER)] == ["Case study"]

    def test_the_plan_keeps_an_extended_item_out_of_the_trades(self) -> None:
        from coaching.prep import build_prep_plan, validate_prep
        from coaching.samples import SAMPLE_TODAY, SAMPLES

        merged = parse_playbook(
            '[extend.usually_gives]\ncustomer = ["quarterly business review"]', "acme.toml"
        )
        prep = validate_prep(
            SAMPLES[CounterpartKind.CUSTOMER].prep, today=SAMPLE_TODAY, default_currency="USD"
        ).prep
        assert prep is not None
        plan = build_prep_plan(prep, None, merged)
        assert all("Quarterly business review" not in t.sentence for t in plan.trades)
        assert any(
            "“Quarterly business review” is usually something a customer gives you" in line
            for line in plan.todo
        )
        default = build_prep_plan(prep, None, load_default())
        assert any("Quarterly business review" in t.sentence for t in default.trades)

    @pytest.mark.parametrize(
        ("text", "problem"),
        [
            ('[extend.usually_gives]\nbuyer = ["x"]', "extend.usually_gives.buyer"),
            ('[extend.usually_gives]\ncustomer = "one phrase"', "extend.usually_gives.customer"),
            (f'[extend.usually_gives]\ncustomer = ["{"x" * 101}"]', "extend.usually_gives.customer"),
        ],
    )
    def test_a_bad_usually_gives_list_is_refused_with_where(self, text: str, problem: str) -> None:
        with pytest.raises(PlaybookError) as error:
            parse_playbook(text, "acme.toml")
        assert problem in str(error.value)
