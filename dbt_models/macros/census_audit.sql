{#- Who an audit distribution is over: one home for the universe labels, on which the dataset's side
    (mart_census_alignment) and the Census side (int_census_distributions) are joined. `age_band`:
    the adults of one band, given the SQL expression of the band. -#}
{% macro audit_universe(universe, age_band=none) -%}
    {%- set labels = {
        'adults': "'adults 18+'",
        'adults_25_plus': "'adults 25+'",
        'degree_holders_25_plus': "'adults 25+ with a bachelor''s degree or higher'",
    } -%}
    {%- if universe == 'age_band' -%}
        ('adults ' || {{ age_band }})
    {%- else -%}
        {{ labels[universe] }}
    {%- endif -%}
{%- endmacro %}
