"""Assessment: how credible each competing value is and how reliable each source is, estimated
together, without letting copiers count as extra votes.

Estimators in the style of scikit-learn and crowd-kit over a tidy claims table (``object``,
``source``, ``value``, optional ``weight``)::

    from corroborator.assess import AccuCopy

    est = AccuCopy()
    chosen = est.fit_predict(claims)      # Series: object -> chosen value
    est.probas_                           # object, value, probability
    est.source_accuracy_                  # Series indexed by source
    est.dependence_                       # source pairs examined for copying
    est.independent_support_              # object, value, count of independent supporters
"""

from corroborator.assess.accu import Accu, AccuCopy
from corroborator.assess.base import TruthEstimator
from corroborator.assess.crh import CRH
from corroborator.assess.dawid_skene import DawidSkene, OneCoinDawidSkene
from corroborator.assess.truthfinder import TruthFinder
from corroborator.assess.voting import MajorityVote

__all__ = [
    "CRH",
    "Accu",
    "AccuCopy",
    "DawidSkene",
    "MajorityVote",
    "OneCoinDawidSkene",
    "TruthEstimator",
    "TruthFinder",
]
