package dev.codedeploy.api;

import java.time.Instant;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/** The SQL of {@code api_sessions}; every time is {@code NOW(6)} of the database. */
interface SessionMapper {

    /** A live session's row. */
    record Row(String tokenName, String tokenHash, Instant expiresAt) {
    }

    @Insert("INSERT INTO api_sessions (id_hash, token_name, token_hash, created_at, expires_at)"
            + " VALUES (#{idHash}, #{tokenName}, #{tokenHash}, NOW(6), NOW(6) + INTERVAL #{lifetimeMicros} MICROSECOND)")
    int insert(@Param("idHash") String idHash, @Param("tokenName") String tokenName, @Param("tokenHash") String tokenHash,
               @Param("lifetimeMicros") long lifetimeMicros);

    @Select("SELECT token_name, token_hash, expires_at FROM api_sessions WHERE id_hash = #{idHash} AND expires_at > NOW(6)")
    Row findLive(@Param("idHash") String idHash);

    @Delete("DELETE FROM api_sessions WHERE id_hash = #{idHash}")
    int delete(@Param("idHash") String idHash);

    @Delete("DELETE FROM api_sessions WHERE expires_at <= NOW(6) LIMIT #{max}")
    int deleteExpired(@Param("max") int max);
}
