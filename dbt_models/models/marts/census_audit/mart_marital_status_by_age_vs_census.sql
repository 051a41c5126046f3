{#- The dataset's marital status by age band and sex next to the Census matrix (ACS 2018 B12002). -#}

with personas as (

    -- the dataset's counts by sex (and 'All'), age band and status; the Census bands start at 18
    select
        sex,
        age_band,
        marital_status,
        persona_count
    from {{ ref('mart_marital_status_by_age') }}

),

census as (

    select * from {{ ref('int_census_marital_status_by_age_band') }}

),

joined as (

    select
        census.sex,
        census.age_band,
        census.marital_status,
        coalesce(personas.persona_count, 0) as persona_count,
        census.census_count
    from census
    left join personas
        on
            census.sex = personas.sex
            and census.age_band = personas.age_band
            and census.marital_status = personas.marital_status

)

select
    sex,
    age_band,
    marital_status,
    persona_count,
    persona_count / nullif(sum(persona_count) over cell, 0) as persona_share_within_age_band,
    census_count,
    census_count / sum(census_count) over cell as census_share_within_age_band,
    100 * (persona_count / nullif(sum(persona_count) over cell, 0) - census_count / sum(census_count) over cell)
        as difference_pp
from joined
window cell as (partition by sex, age_band)
