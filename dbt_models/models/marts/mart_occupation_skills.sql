{#- The seed's "top skills of a given occupation", precomputed: reading it takes milliseconds, where
    answering from the bridge joins millions of rows. -#}
with persona_skills as (

    -- distinct pairs: a persona listing two spellings of one skill counts once
    select distinct
        persona_id,
        skill_key
    from {{ ref('bridge_persona_skill') }}

),

occupations as (

    select
        occupation,
        count(*) as occupation_persona_count
    from {{ ref('dim_persona') }}
    group by occupation

),

counted as (

    select
        personas.occupation,
        persona_skills.skill_key,
        count(*) as persona_count
    from persona_skills
    inner join {{ ref('dim_persona') }} as personas on persona_skills.persona_id = personas.persona_id
    group by personas.occupation, persona_skills.skill_key

)

select
    counted.occupation,
    counted.skill_key,
    skills.skill_name,
    counted.persona_count,
    counted.persona_count / occupations.occupation_persona_count as share_of_occupation,
    rank() over (partition by counted.occupation order by counted.persona_count desc)::integer as rank_in_occupation
from counted
inner join occupations on counted.occupation = occupations.occupation
inner join {{ ref('dim_skill') }} as skills on counted.skill_key = skills.skill_key
