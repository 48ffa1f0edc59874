"""parindex — Chỉ số cải cách hành chính (PAR Index).

An open platform for Vietnam's Administrative Reform Index: methodologies (bộ tiêu chí),
self-assessment, appraisal, scoring and ranking. The pure scoring engine lives in
``parindex.core``; the Django project in ``parindex.web``.
"""

__version__ = "0.1.0"
