{#- Bachelor's-or-higher rate among adults 25+ per state: the dataset against ACS 2018 S1501. -#}

with personas as (

    select
        state,
        count(*) as persona_count_25_plus,
        count(*) filter (where has_bachelors_or_higher) as bachelors_or_higher_count
    from {{ ref('dim_persona') }}
    where age >= 25
    group by state

),

acs as (

    select
        usps as state,
        name as state_name,
        pct_bachelors_or_higher / 100 as acs_rate,
        pct_bachelors_or_higher_moe / 100 as acs_margin_of_error
    from {{ ref('ref_census_education_by_state') }}
    where usps <> 'US'

),

compared as (

    select
        acs.state,
        acs.state_name,
        coalesce(personas.persona_count_25_plus, 0) as persona_count_25_plus,
        coalesce(personas.bachelors_or_higher_count, 0) as bachelors_or_higher_count,
        personas.bachelors_or_higher_count / personas.persona_count_25_plus as persona_rate,
        acs.acs_rate,
        acs.acs_margin_of_error
    from acs
    left join personas on acs.state = personas.state

)

select
    state,
    state_name,
    persona_count_25_plus,
    bachelors_or_higher_count,
    persona_rate,
    sqrt(persona_rate * (1 - persona_rate) / persona_count_25_plus) as persona_rate_standard_error,
    acs_rate,
    acs_margin_of_error,
    100 * (persona_rate - acs_rate) as difference_pp,
    corr(persona_rate, acs_rate) over () as correlation_across_states
from compared
