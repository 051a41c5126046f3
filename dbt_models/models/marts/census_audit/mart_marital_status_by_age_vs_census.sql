{#- The dataset's marital status by age band and sex next to the Census matrix (ACS 2018 B12002). -#}

with personas as (

    select
        coalesce(sex, 'All') as sex,
        age_band,
        marital_status,
        count(*) as persona_count
    from {{ ref('dim_persona') }}
    where age >= 18
    group by grouping sets ((sex, age_band, marital_status), (age_band, marital_status))

),

census_counts as (

    unpivot {{ ref('ref_census_marital_status_by_age') }}
    on n_never_married, n_married_spouse_present, n_married_spouse_absent_other, n_separated, n_widowed, n_divorced
    into name census_category value census_count

),

census as (

    select
        case census_counts.sex when 'both' then 'All' when 'female' then 'Female' when 'male' then 'Male' end as sex,
        case when census_counts.age_band in ('75-84', '85+') then '75+' else census_counts.age_band end as age_band,
        codes.marital_status,
        sum(census_counts.census_count)::bigint as census_count
    from census_counts
    inner join {{ ref('ref_census_marital_status_codes') }} as codes
        on codes.census_category = substr(census_counts.census_category, 3)
    where census_counts.age_band in ('18-24', '25-34', '35-44', '45-54', '55-64', '65-74', '75-84', '85+')
    group by all

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
        on census.sex = personas.sex
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
