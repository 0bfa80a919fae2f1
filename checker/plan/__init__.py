"""The plan reader: a plan's text (.txt, .docx, .html) -> its clauses, sentences and units
(checker.plan.structure, checker.plan.units) -> the targets and duties it sets
(checker.plan.targets) -> a draft ruleset to review (checker.plan.draft).

The reader holds nothing particular to one plan: it is measured on plans no one here has read.
"""
