; Sense-VM image, format version 1: labels are code offsets
.format sensevm 1
.int 0                          ; #0
.int 100                        ; #1
.int 1                          ; #2
.metadata {"dataTypes":[],"source":"loop.cam","mainType":{"kind":"int"}}

    LOADI #0                    ; @0  = 0  loop.cam:4:13
    MOVE                        ; @3  loop.cam:4:8
    LOADI #1                    ; @4  = 100  loop.cam:4:15
    CONS                        ; @7  loop.cam:4:8
    CALL L12                    ; @8
    STOP                        ; @11
L12:
    PUSH                        ; @12  loop.cam:3:14
    SND                         ; @13  loop.cam:3:10
    MOVE                        ; @14  loop.cam:3:17
    LOADI #0                    ; @15  = 0  loop.cam:3:22
    EQI                         ; @18  loop.cam:3:17
    GOTOFALSE L24               ; @19  loop.cam:3:14
    FST                         ; @22  loop.cam:3:6
    RETURN                      ; @23
L24:
    PUSH                        ; @24  loop.cam:3:38
    FST                         ; @25  loop.cam:3:6
    MOVE                        ; @26  loop.cam:3:43
    LOADI #2                    ; @27  = 1  loop.cam:3:50
    ADDI                        ; @30  loop.cam:3:43
    SWAP                        ; @31  loop.cam:3:38
    SND                         ; @32  loop.cam:3:10
    MOVE                        ; @33  loop.cam:3:53
    LOADI #2                    ; @34  = 1  loop.cam:3:58
    MINI                        ; @37  loop.cam:3:53
    CONS                        ; @38  loop.cam:3:38
    GOTO L12                    ; @39

.debug 0 3 "loop.cam" 4 13
.debug 3 1 "loop.cam" 4 8
.debug 4 3 "loop.cam" 4 15
.debug 7 4 "loop.cam" 4 8
.debug 12 1 "loop.cam" 3 14
.debug 13 1 "loop.cam" 3 10
.debug 14 1 "loop.cam" 3 17
.debug 15 3 "loop.cam" 3 22
.debug 18 1 "loop.cam" 3 17
.debug 19 3 "loop.cam" 3 14
.debug 22 2 "loop.cam" 3 6
.debug 24 1 "loop.cam" 3 38
.debug 25 1 "loop.cam" 3 6
.debug 26 1 "loop.cam" 3 43
.debug 27 3 "loop.cam" 3 50
.debug 30 1 "loop.cam" 3 43
.debug 31 1 "loop.cam" 3 38
.debug 32 1 "loop.cam" 3 10
.debug 33 1 "loop.cam" 3 53
.debug 34 3 "loop.cam" 3 58
.debug 37 1 "loop.cam" 3 53
.debug 38 4 "loop.cam" 3 38
