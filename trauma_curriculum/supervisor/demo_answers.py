"""Written answers for the demo cohort, so grading against the rubric can be rehearsed on answers that
differ the way real ones do.

Each written question of each assignment has four answers, invented for the demo and about the
assignment's fictional cases only: ``strong`` (meets the rubric's top band), ``good`` (right, with one
element thin: the band below), ``partial`` (a typical misunderstanding the lower bands describe) and
``off_topic`` (general remarks that do not engage with the case). A fifth quality, ``blank``, leaves
the cell as released. None of these is a model answer: the model answers and rubrics stay in
``answer-keys/``.
"""

from __future__ import annotations

#: assignment -> grade_id of the written answer -> quality -> text (wrapped here; see :func:`_unwrap`)
WRITTEN: dict[str, dict[str, dict[str, str]]] = {
    "a1-foundations": {
        "w1-answer": {
            "strong": """
                On what is known so far this is relational trauma. The person who exposed Jonas was his
                closest friend, someone he trusted, and it happened recently, when he was an adult. His
                remark that he has "always" found closeness frightening is a lead worth following,
                because it hints that the pattern could be older than the betrayal, but it is his own
                summary of how closeness feels, not a fact about who cared for him or what happened. For
                the label to move, I would want to know who raised him and whether that care was
                frightening, neglectful or absent before he was six (the curriculum's cut-off); if it
                was, the case would be both, with the friend's betrayal landing on an older wound. How
                wrecked he feels cannot decide it, since the distress looks much the same after either
                kind of wound.
                """,
            "good": """
                I would call it relational for now, because a close friend broke his trust by sharing
                his private messages. The word "always" makes me wonder whether something happened
                earlier in his life, so I would want to take a fuller history before being sure. If it
                turned out there was an earlier problem, the label might change.
                """,
            "partial": """
                Jonas says he has always found closeness frightening, which points to an attachment
                wound from childhood, so I would label this both: an old attachment difficulty with the
                friend's betrayal on top of it. His strong reaction to the messages also fits an
                insecure attachment style. I would ask about his parents to confirm this.
                """,
            "off_topic": """
                This sounds like a very painful experience and Jonas should be offered support quickly.
                Social media makes situations like this far worse than they used to be, and friendship
                groups should think harder about what they forward. I would suggest a course of CBT and
                some mindfulness.
                """,
        },
    },
    "a2-vignette-sorting": {
        "w1-answer": {
            "strong": """
                Item 9, "The spilled cup": attachment. "From the time he was a baby his father was the
                one at home with him during the day" tells me who: the father was Bogdan's daytime
                caregiver, the person raising him. "Roaring and throwing plates near a crying toddler"
                tells me when: the frightening, unpredictable care began while he was a toddler, well
                before six. The detail that could tempt another label is the recent one, the police call
                last year and contact only at a family centre; that is about his safety now (and contact
                is already supervised), not about when the wound began, so I set it aside for the label.

                Item 4, "The juice box": relational. The harm came from "a PE teacher she had idolised,
                who had picked her for the netball squad", an adult at school she trusted and looked up
                to, not a carer, and it happened "in Year 8", at about twelve or thirteen, long after
                the window. The tempting detail is "type 1 diabetes since she was six": an early age and
                a medical history, but the illness is not harm by a person, and her parents' care ("took
                turns doing her night-time checks") was attentive, so there is no early caregiving
                wound. Her skipped checks are a current health risk that I would raise with her parents
                and her diabetes team first.
                """,
            "good": """
                Item 2, "Smoke and the dinner table": attachment. "From his earliest memories, long
                before he started school, she mocked his ears and his slow speech" shows that the person
                was his mother and that it started before school. The fire at twelve is what the
                referral is about, but it is not what decides the label.

                Item 11, "Three hours on the kitchen floor": not relational. Winifred's fear comes from
                the stroke and the hours alone on the floor; nobody harmed her, and Alwyn and her
                daughter are caring for her.
                """,
            "partial": """
                Item 7, "Reading the forecast": attachment. Her father ran the house while her mother
                worked long rotas, and her first memories, "from before she started nursery at three",
                are of his moods and of being shut in the bathroom. So the person was her main carer and
                it began before six.

                Item 13, "Late trains": relational, because Henrik deceived her for four years and she
                is still rereading his messages, which shows how much the betrayal hurt her.
                """,
            "off_topic": """
                I chose the earthquake and the kitchen floor because they were the most upsetting
                stories. Both people are clearly traumatised and need help as soon as possible. The main
                thing I have learned is that trauma affects everyone differently and that we should
                always be compassionate.
                """,
        },
    },
    "a2b-vignette-sorting": {
        "w1-answer": {
            "strong": """
                Item 10, "The landing light": attachment. "From his first months a health visitor
                recorded bruises and a mother who screamed at the baby" tells me who and when: his
                mother, the person raising him, from infancy, and "by two he was being smacked hard and
                often", so the harm was chronic and began well before six. The detail that could pull
                elsewhere is the present one: he ducks when his father reaches past him. His father has
                been the safe carer since Tadhg was four and did not cause the harm; the flinching is
                how the older wound shows now, so I set it aside for the label.

                Item 6, "Until the end of the lesson": relational. The harm comes from "a teaching
                assistant, Mr Varga, has been assigned to help her with transfers, the toilet and
                lunch", an adult she depends on for intimate care and at first "adored", but not someone
                who raised her; it began "since September", when she was thirteen, long after the
                window. The tempting detail is her cerebral palsy, present since birth: it explains how
                much she depends on him, but it is not harm by anyone, and at home her mum and stepdad
                manage her care "without any fuss", so there is no early caregiving wound. Her not
                drinking at school is a current risk that I would take to the school's safeguarding lead
                first.
                """,
            "good": """
                Item 14, "The stairwell light": both. "The father who kept him was seldom at home" and
                the neighbour's memory of "a small boy in a nappy sitting in the stairwell at night"
                show neglect by the parent raising him, while Femi was still a toddler. Later, at
                twenty-nine, his husband Lukas controlled his clothes, friends and phone, which is a
                relational wound by a partner.

                Item 18, "The oak and the bunk bed": not relational. The storm brought the tree down;
                nobody harmed Ruairi, and his parents got the children out and have stayed close to him
                since.
                """,
            "partial": """
                Item 17, "The holiday he could not choose": attachment. His mother "ran him like a
                project from the cradle" and had a baby monitor in every room "before he could walk", so
                the person was the parent who raised him and it started in infancy.

                Item 7, "An anagram of her name": relational, because someone close to her, her oldest
                friend or her ex-husband's sister, betrayed her trust by posting her address and her
                miscarriage online.
                """,
            "off_topic": """
                The two I found hardest to read were the carjacking and the platform. All of these
                people are suffering, and in a way every one of these cases is relational, because we
                all live in relationships with other people. What matters most is how the person feels
                now, not putting a label on them.
                """,
        },
    },
    "a3-case-formulation": {
        "formulation-answer": {
            "strong": """
                The history supports the label both. The first wound is with Stellan, the uncle who
                raised Leif from just after his birth: his spells of staring into nothing and his habit
                of walking the hills when the baby cried left Leif's distress unanswered in infancy,
                inside the window (before six, the curriculum's cut-off). The second is with Saskia, his
                partner of six years, who moved out during his second round of treatment and turned
                their friends against him: a relational wound in adulthood, while the lymphoma itself
                was an illness, not harm by a person. The early wound shows on its own as a wordless
                switching-off when someone is soft with him (scene 1) or a baby is left crying (scene
                5); the later one as a fear he can date and explain, of scans and of confiding (scenes 2
                and 4). In the waiting room (scene 3) they compound: a clear thought that Ines will
                leave like Saskia drops him into the older, wordless freeze, and the two feed each
                other. Saskia's leaving probably landed with such force because it seemed to prove what
                he had expected since infancy: that care vanishes just when he needs it. This is a
                working hypothesis from a written case, not a diagnosis: his infancy is known only from
                what others have told him, and which wound is active in a given moment is something to
                test with him.
                """,
            "good": """
                I think the label is both. Stellan raised Leif from birth and was often absent in his
                mind or literally walked out when Leif cried, so there is an early attachment wound
                within the window. Later, in his thirties, Saskia left him during his cancer treatment
                and told their friends he was impossible, which is a relational betrayal by a partner.
                Scenes 1 and 5 show the early wound (blankness when someone is gentle, freezing at a
                crying baby) and scenes 2 and 4 show the later one (avoiding scans, no longer confiding
                in friends). In scene 3 the two wounds come together.
                """,
            "partial": """
                Leif's main difficulty is relational trauma: Saskia abandoned him while he was being
                treated for lymphoma and turned his friends against him, and since then he avoids
                hospitals and does not confide in anyone (scenes 2 and 4). His childhood with his uncle
                was not easy, which may make him more sensitive, but the problems he brings started with
                the break-up.
                """,
            "off_topic": """
                Leif has been through a great deal, including cancer, which is one of the most stressful
                things that can happen to anyone. I think the main problem is health anxiety, and he
                should be referred to a psycho-oncology service. Men of his generation often find it
                hard to talk about feelings.
                """,
        },
        "treatment-answer": {
            "strong": """
                The first thing to attend to is his health: with his consent I would contact his doctor,
                agree small steps back towards the scans, and make a simple plan with Ines, such as her
                always saying when she will be back if she steps away, so that follow-up is not lost
                while therapy gets going. The later wound can be worked on fairly directly: going over
                the months in hospital and Saskia's leaving, naming the betrayal, and rebuilding his old
                habit of ringing a few friends when things are bad, which he had before and misses. The
                early template will move more slowly, because understanding it will not undo it; here
                the relationship with the therapist is the work, a place where care turns up reliably,
                breaks are announced well ahead, and ruptures are repaired, while his blankness in the
                face of warmth is gently noticed. In a session, a fear he can put into words and tie to
                hospitals or disclosure suggests the later wound and can be explored; a wordless
                shutdown when he is met kindly suggests the early one and calls for grounding and
                staying with him rather than digging into content. When both arrive at once, as in the
                waiting room, I would slow down and help him separate then from now before anything
                else. With both wounds present, I would expect a longer and uneven course, and plan for
                setbacks around scan dates and endings rather than reading them as failure.
                """,
            "good": """
                Getting him back to his scans comes first, working with his doctor and with Ines so that
                he does not face appointments alone. Then the work can address the betrayal by Saskia,
                processing what happened in hospital and helping him trust friends again. The early
                wound with Stellan needs a consistent therapeutic relationship in which being cared for
                becomes safer, with breaks planned and ruptures repaired. I would watch for whether he
                is anxious or shut down in a session and adapt to that.
                """,
            "partial": """
                I would offer a course of trauma-focused CBT of about twelve sessions on the hospital
                experience and the break-up with Saskia, using exposure to help him return to his scans
                and cognitive work on the belief that people cannot be trusted. Once the break-up has
                been processed, his relationship with Ines should improve.
                """,
            "off_topic": """
                Therapy should be person-centred and go at his pace. Building rapport is the most
                important thing, and CBT and relaxation exercises can help with anxiety. He might also
                benefit from a men's support group.
                """,
        },
    },
}

#: For an assignment without answers of its own (a new one): short answers of each quality about no case.
FALLBACK = {
    "strong": """
        The label follows from who was involved and when it began, not from the symptoms, which look
        alike after either wound; I have named both for this case and said what could still change it.
        """,
    "good": """
        The history decides the label: who harmed the person and at what age.
        """,
    "partial": """
        The symptoms are severe, so this is probably attachment trauma.
        """,
    "off_topic": """
        Everyone reacts to difficult experiences differently.
        """,
}


def _unwrap(text: str) -> str:
    """The text as a trainee would type it: each paragraph on one line, paragraphs a blank line apart."""
    return "\n\n".join(" ".join(para.split()) for para in text.strip().split("\n\n"))


def written_answer(assignment: str, grade_id: str, quality: str) -> str:
    """The demo's answer of ``quality`` to one written question ("" for a blank one)."""
    if quality == "blank":
        return ""
    return _unwrap(WRITTEN.get(assignment, {}).get(grade_id, FALLBACK)[quality])
