with counts as (

    select
        coalesce(sex, 'All') as sex,
        age_band,
        marital_status,
        count(*) as persona_count
    from {{ ref('dim_persona') }}
    group by grouping sets ((sex, age_band, marital_status), (age_band, marital_status))  -- noqa: PRS

)

select
    sex,
    age_band,
    marital_status,
    persona_count,
    persona_count / sum(persona_count) over (partition by sex, age_band) as share_within_age_band
from counts
