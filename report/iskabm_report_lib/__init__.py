"""Figures and the HTML page of `iskabm report` (driven by report/iskabm_report.py).

One concept per module:

  errors             the two expected failures and their exit codes
  inputs             the run and posterior files: reading, checking, shared accessors
  observed           the observed data directory (incident list, aggregates, gazetteer)
  plotting           shared figure helpers: layout, source line, quantile bands, saving
  maps               district choropleths
  series             monthly series, month-of-year profile, group strength
  events             fatalities per attack, targets and tactics, joint attacks
  network            the alliance network drawn from the scenario's TOML
  predictive         the predictive check shared by run and posterior reports
  differences        paired what-if differences (from `iskabm compare --csv`)
  parameters_figures parameter draws of a posterior-driven run
  posterior_figures  marginals, pairs, ABC history, identifiability of a posterior file
  html_report        report.html and figures.tsv
  build              the figure lists of the two report kinds
"""
