with counts as (

    select
        age,
        sex,
        count(*) as persona_count
    from {{ ref('dim_persona') }}
    group by age, sex

)

select
    age,
    sex,
    persona_count,
    persona_count / sum(persona_count) over () as share_of_all_personas,
    persona_count / sum(persona_count) over (partition by sex) as share_within_sex
from counts
